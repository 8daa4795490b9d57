#include "CGnomonCurl.h"

// The headers give the types and constants; the libraries themselves are loaded with dlopen on
// the first alert, so that every other `gnomon` command starts without loading libcurl, OpenSSL
// and their thirty dependencies (2-3 ms of each command's start).
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/// The functions used, from libcurl and libcrypto; `problem` is set when one cannot be loaded.
static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    void (*easy_cleanup)(CURL *);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    const EVP_MD *(*evp_sha256)(void);
    unsigned char *(*hmac)(const EVP_MD *, const void *, int, const unsigned char *, size_t, unsigned char *,
                           unsigned int *);
    char problem[256];
} api;

static pthread_once_t api_once = PTHREAD_ONCE_INIT;

static void *open_first(const char *const *names) {
    for (size_t i = 0; names[i] != NULL; i++) {
        void *library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (library != NULL) return library;
    }
    return NULL;
}

static void load_api(void) {
    static const char *const curl_names[] = { "libcurl.so.4", "libcurl.so", NULL };
    static const char *const crypto_names[] = { "libcrypto.so.3", "libcrypto.so", NULL };
    void *curl = open_first(curl_names), *crypto = open_first(crypto_names);
    if (curl == NULL || crypto == NULL) {
        snprintf(api.problem, sizeof api.problem, "%s could not be loaded (%s); install Debian's %s",
                 curl == NULL ? "libcurl" : "libcrypto", dlerror(), curl == NULL ? "libcurl4" : "libssl3");
        return;
    }
#define LOAD(field, library, name) \
    if ((*(void **)&api.field = dlsym(library, name)) == NULL) { \
        snprintf(api.problem, sizeof api.problem, "lib%s has no %s; install a newer one", #library, name); \
        return; \
    }
    LOAD(global_init, curl, "curl_global_init")
    LOAD(easy_init, curl, "curl_easy_init")
    LOAD(easy_setopt, curl, "curl_easy_setopt")
    LOAD(easy_perform, curl, "curl_easy_perform")
    LOAD(easy_getinfo, curl, "curl_easy_getinfo")
    LOAD(easy_strerror, curl, "curl_easy_strerror")
    LOAD(easy_cleanup, curl, "curl_easy_cleanup")
    LOAD(slist_append, curl, "curl_slist_append")
    LOAD(slist_free_all, curl, "curl_slist_free_all")
    LOAD(evp_sha256, crypto, "EVP_sha256")
    LOAD(hmac, crypto, "HMAC")
#undef LOAD
    api.global_init(CURL_GLOBAL_DEFAULT);
}

#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_easy_init api.easy_init
#define curl_easy_setopt api.easy_setopt
#define curl_easy_perform api.easy_perform
#define curl_easy_getinfo api.easy_getinfo
#define curl_easy_strerror api.easy_strerror
#define curl_easy_cleanup api.easy_cleanup
#define curl_slist_append api.slist_append
#define curl_slist_free_all api.slist_free_all

/// The most of a response body kept by default: enough for any error message worth quoting.
#define GNOMON_BODY_LIMIT (64 * 1024)


static size_t keep_body(char *data, size_t size, size_t count, void *context) {
    gnomon_transfer *result = context;
    size_t length = size * count;
    size_t limit = result->body_limit > 0 ? result->body_limit : GNOMON_BODY_LIMIT;
    size_t room = limit > result->body_length ? limit - result->body_length : 0;
    size_t kept = length < room ? length : room;
    if (kept > 0) {
        char *grown = realloc(result->body, result->body_length + kept + 1);
        if (grown == NULL) return 0;
        memcpy(grown + result->body_length, data, kept);
        result->body_length += kept;
        grown[result->body_length] = 0;
        result->body = grown;
    }
    return length;
}

typedef struct {
    CURL *curl;
    gnomon_body_callback callback;
    void *context;
} body_sink;

static size_t pass_body(char *data, size_t size, size_t count, void *context) {
    body_sink *sink = context;
    size_t length = size * count;
    long status = 0;
    curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &status);
    return sink->callback(status, data, length, sink->context) == 0 ? length : 0;
}

static int check_cancelled(void *context, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d) {
    (void)a; (void)b; (void)c; (void)d;
    const int *cancelled = context;
    return cancelled != NULL && __atomic_load_n(cancelled, __ATOMIC_SEQ_CST) != 0;
}

typedef struct {
    const char *data;
    size_t length;
    size_t offset;
} upload;

static size_t read_upload(char *buffer, size_t size, size_t count, void *context) {
    upload *source = context;
    size_t room = size * count;
    size_t left = source->length - source->offset;
    size_t taken = left < room ? left : room;
    memcpy(buffer, source->data + source->offset, taken);
    source->offset += taken;
    return taken;
}

static gnomon_transfer_kind classify(CURLcode code) {
    switch (code) {
    case CURLE_OK: return GNOMON_TRANSFER_OK;
    case CURLE_OPERATION_TIMEDOUT: return GNOMON_TRANSFER_TIMED_OUT;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT: return GNOMON_TRANSFER_COULD_NOT_CONNECT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_USE_SSL_FAILED: return GNOMON_TRANSFER_TLS;
    case CURLE_LOGIN_DENIED: return GNOMON_TRANSFER_LOGIN_DENIED;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_QUOTE_ERROR:
    case CURLE_REMOTE_ACCESS_DENIED: return GNOMON_TRANSFER_REFUSED;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE: return GNOMON_TRANSFER_BROKEN;
    case CURLE_ABORTED_BY_CALLBACK:
    case CURLE_WRITE_ERROR: return GNOMON_TRANSFER_CANCELLED;
    default: return GNOMON_TRANSFER_OTHER;
    }
}

/// The options every transfer shares: no signals (threads), a whole-transfer timeout, the
/// cancellation poll, curl's error text.
static CURL *start(const char *url, long timeout_ms, const int *cancelled, gnomon_transfer *result) {
    memset(result, 0, sizeof *result);
    pthread_once(&api_once, load_api);
    if (api.problem[0] != 0) {
        result->kind = GNOMON_TRANSFER_OTHER;
        strncpy(result->error, api.problem, sizeof result->error - 1);
        return NULL;
    }
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        result->kind = GNOMON_TRANSFER_OTHER;
        strcpy(result->error, "libcurl could not make a handle (out of memory)");
        return NULL;
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, result->error);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, check_cancelled);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, (void *)cancelled);
    return curl;
}

static int finish(CURL *curl, CURLcode code, gnomon_transfer *result) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result->status);
    result->kind = classify(code);
    if (code != CURLE_OK && result->error[0] == 0) {
        strncpy(result->error, curl_easy_strerror(code), sizeof result->error - 1);
    }
    curl_easy_cleanup(curl);
    return result->kind;
}

int gnomon_http_request(const gnomon_http_request_options *options, const int *cancelled, gnomon_transfer *result) {
    CURL *curl = start(options->url, options->timeout_ms, cancelled, result);
    if (curl == NULL) return result->kind;
    result->body_limit = options->body_limit;
    struct curl_slist *list = NULL;
    for (size_t i = 0; i < options->header_count; i++) list = curl_slist_append(list, options->headers[i]);
    // No "Expect: 100-continue" round trip before the body.
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    if (strcmp(options->method, "GET") != 0) curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, options->method);
    if (options->body != NULL) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, options->body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)options->body_length);
    }
    if (options->connect_timeout_ms > 0) curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, options->connect_timeout_ms);
    body_sink sink = { curl, options->on_body, options->context };
    if (options->on_body != NULL) {
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, pass_body);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    } else {
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_body);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, result);
    }
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(list);
    return finish(curl, code, result);
}

int gnomon_http_post(const char *url, const char *const *headers, size_t header_count,
                     const void *body, size_t body_length, long timeout_ms,
                     const int *cancelled, gnomon_transfer *result) {
    gnomon_http_request_options options = {
        .method = "POST", .url = url, .headers = headers, .header_count = header_count,
        // A POST with an empty body still sends one (Content-Length: 0).
        .body = body != NULL ? body : "", .body_length = body_length, .timeout_ms = timeout_ms,
    };
    return gnomon_http_request(&options, cancelled, result);
}

int gnomon_smtp_send(const char *url, int starttls, const char *ca_file,
                     const char *user, const char *password, const char *from,
                     const char *const *recipients, size_t recipient_count,
                     const void *message, size_t message_length, long timeout_ms,
                     const int *cancelled, gnomon_transfer *result) {
    CURL *curl = start(url, timeout_ms, cancelled, result);
    if (curl == NULL) return result->kind;
    struct curl_slist *list = NULL;
    for (size_t i = 0; i < recipient_count; i++) list = curl_slist_append(list, recipients[i]);
    upload source = { message, message_length, 0 };
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp");
    curl_easy_setopt(curl, CURLOPT_USE_SSL, starttls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
    if (ca_file != NULL) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file);
    if (user != NULL) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, password != NULL ? password : "");
    }
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, list);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &source);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)message_length);
    CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(list);
    return finish(curl, code, result);
}

void gnomon_transfer_cancel(int *cancelled) { __atomic_store_n(cancelled, 1, __ATOMIC_SEQ_CST); }

void gnomon_transfer_free(gnomon_transfer *result) {
    free(result->body);
    result->body = NULL;
    result->body_length = 0;
}

int gnomon_hmac_sha256(const void *key, size_t key_length, const void *data, size_t data_length,
                       unsigned char out[32]) {
    pthread_once(&api_once, load_api);
    if (api.problem[0] != 0) return -1;
    unsigned int length = 0;
    unsigned char *made = api.hmac(api.evp_sha256(), key, (int)key_length, data, data_length, out, &length);
    return made != NULL && length == 32 ? 0 : -1;
}
