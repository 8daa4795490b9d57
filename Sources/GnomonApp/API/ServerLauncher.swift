import Foundation
import GnomonDaemon
import GnomonServer
import Logging

/// Starts the daemon's HTTP server beside its loop and stops it when the loop has drained.
enum ServerLauncher {
    /// The file in the home that holds the URL the server listens on while it runs (for scripts
    /// and tests that asked for port 0).
    static let urlFileName = "server.url"

    /// Serves until cancelled. A server that cannot start (the port is taken, the tokens file is
    /// invalid) is logged as an error and the daemon goes on scheduling without it: jobs matter
    /// more than the page that shows them.
    static func serve(
        _ handle: DaemonHandle, listen: ListenAddress, tokensFile: String?, metricsPublic: Bool,
        settings: GlobalSettings, logger: Logger
    ) async {
        guard listen != .none else {
            logger.info("HTTP server off (--listen none)")
            return
        }
        let tokens: TokenStore
        do {
            let (store, created) = try TokenStore.load(home: handle.home, tokensFile: tokensFile)
            tokens = store
            if created {
                logger.notice("API admin token created; read it from the file (never logged)", metadata: ["path": "\(store.adminTokenPath)"])
            }
        } catch {
            logger.error("HTTP server not started: \(error)")
            return
        }
        let hub = EventHub(store: handle.store)
        let context = APIContext(daemon: handle, settings: settings, metricsPublic: metricsPublic, events: hub)
        let server = HTTPServer(
            address: listen, routes: APIRoutes.make(context),
            authenticator: Authenticator(tokens: tokens, sessions: SessionStore()), logger: logger)
        let urlFile = (handle.home as NSString).appendingPathComponent(urlFileName)
        // The metrics' totals over the history (about a second with 100,000 runs), added up once
        // while the server starts rather than in the first scrape.
        let seed = Task {
            do {
                let clock = ContinuousClock()
                let took = try await clock.measure { try await context.metricsCollector.prepare(handle.store) }
                logger.info("metrics: the history's totals added up", metadata: ["took": "\(took)"])
            } catch {
                logger.warning("metrics: could not add up the history yet (\(error)); the first scrape tries again")
            }
        }
        let announce = Task {
            await server.waitUntilListening()
            guard let bound = server.boundAddress else { return }
            let host = bound.host.contains(":") ? "[\(bound.host)]" : bound.host
            let url = "http://\(host):\(bound.port)"
            try? (url + "\n").write(toFile: urlFile, atomically: true, encoding: .utf8)
            logger.info("HTTP server listening", metadata: ["url": "\(url)"])
        }
        // The event stream's poller lives as long as the server. The server runs in a task of its
        // own, not cancelled with this one: a shutdown first ends every event stream (a gzip one
        // with its trailer), gives the responses up to a second to write their ends, and only then
        // stops the server, which cuts off whatever is still open.
        let serving = Task {
            do {
                try await server.run()
            } catch {
                logger.error("HTTP server stopped: \(error); the daemon goes on scheduling without it")
            }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await hub.run() }
            group.addTask { await serving.value }
            await group.next()
            group.cancelAll()
            await hub.waitForStreamsToEnd(within: .seconds(1))
            serving.cancel()
        }
        announce.cancel()
        seed.cancel()
        try? FileManager.default.removeItem(atPath: urlFile)
    }
}
