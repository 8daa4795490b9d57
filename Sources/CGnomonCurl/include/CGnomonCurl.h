#ifndef CGNOMONCURL_H
#define CGNOMONCURL_H

#include <stddef.h>

/// What went wrong in one transfer, in the terms a sender reports (curl's codes stay in C).
typedef enum {
    GNOMON_TRANSFER_OK = 0,
    /// The whole transfer took longer than its timeout.
    GNOMON_TRANSFER_TIMED_OUT,
    /// The host name did not resolve, or the connection was refused or unreachable.
    GNOMON_TRANSFER_COULD_NOT_CONNECT,
    /// The TLS handshake failed, the certificate was not trusted, or STARTTLS was refused.
    GNOMON_TRANSFER_TLS,
    /// The server refused the user name or password.
    GNOMON_TRANSFER_LOGIN_DENIED,
    /// The server answered a command with an error (an SMTP 4xx or 5xx reply; see `status`).
    GNOMON_TRANSFER_REFUSED,
    /// The connection broke while sending or receiving.
    GNOMON_TRANSFER_BROKEN,
    /// The caller cancelled the transfer through its flag.
    GNOMON_TRANSFER_CANCELLED,
    /// Anything else (a malformed URL, out of memory); `error` says what.
    GNOMON_TRANSFER_OTHER,
} gnomon_transfer_kind;

/// The end of one transfer. Free it with `gnomon_transfer_free`.
typedef struct {
    gnomon_transfer_kind kind;
    /// The HTTP status, or the last SMTP reply code; 0 when none was received.
    long status;
    /// libcurl's own description of the failure (empty on success).
    char error[256];
    /// The first bytes of the response body (HTTP only; at most the request's `body_limit`, 64 KiB
    /// by default), malloc'd, or NULL.
    char *body;
    size_t body_length;
    /// How much of the body is kept (set by the request; 0 while none is).
    size_t body_limit;
} gnomon_transfer;

/// Receives a response body as it arrives (a stream), with the answer's HTTP status (known before
/// the first byte of the body); returns 0 to go on, non-zero to stop the transfer (it then ends
/// as `GNOMON_TRANSFER_CANCELLED`).
typedef int (*gnomon_body_callback)(long status, const char *data, size_t length, void *context);

/// One HTTP request: any method, headers, an optional body, and where the answer goes.
typedef struct {
    /// "GET", "POST", ...
    const char *method;
    /// http or https.
    const char *url;
    /// "Name: value" lines.
    const char *const *headers;
    size_t header_count;
    /// The request body, or NULL for none.
    const void *body;
    size_t body_length;
    /// The whole transfer's bound (0: none, for streams that a caller cancels).
    long timeout_ms;
    /// The bound on connecting (0: libcurl's default).
    long connect_timeout_ms;
    /// With `on_body` NULL, the most of the answer kept in `result->body` (0: 64 KiB).
    size_t body_limit;
    /// When set, the answer's body goes here as it arrives instead of into `result->body`.
    gnomon_body_callback on_body;
    void *context;
} gnomon_http_request_options;

/// Performs one HTTP request. Aborts soon after `*cancelled` becomes non-zero. Blocks the calling
/// thread; returns `result->kind`.
int gnomon_http_request(const gnomon_http_request_options *options, const int *cancelled, gnomon_transfer *result);

/// POSTs `body` to `url` (http or https) with `headers` ("Name: value"), the whole transfer
/// bounded by `timeout_ms`. Aborts soon after `*cancelled` becomes non-zero
/// (`gnomon_transfer_cancel`). Blocks the calling thread; returns `result->kind`.
int gnomon_http_post(const char *url, const char *const *headers, size_t header_count,
                     const void *body, size_t body_length, long timeout_ms,
                     const int *cancelled, gnomon_transfer *result);

/// Sends one message over SMTP to `url` (smtp://host:port): EHLO, STARTTLS when `starttls` is
/// set (failing if the server does not offer it), AUTH when `user` is not NULL, MAIL FROM, RCPT
/// TO each recipient, DATA (libcurl dot-stuffs the message), QUIT. `ca_file`, when not NULL,
/// is the certificate bundle to trust instead of the system's. Blocks; returns `result->kind`.
int gnomon_smtp_send(const char *url, int starttls, const char *ca_file,
                     const char *user, const char *password, const char *from,
                     const char *const *recipients, size_t recipient_count,
                     const void *message, size_t message_length, long timeout_ms,
                     const int *cancelled, gnomon_transfer *result);

/// Sets the flag that a running transfer polls (atomically).
void gnomon_transfer_cancel(int *cancelled);

/// Frees what a transfer allocated in `result`.
void gnomon_transfer_free(gnomon_transfer *result);

/// HMAC-SHA256 of `data` with `key` into `out` (OpenSSL's libcrypto). 0 on success.
int gnomon_hmac_sha256(const void *key, size_t key_length, const void *data, size_t data_length,
                       unsigned char out[32]);

#endif
