// A small HTTP/1.1 server (Boost.Beast, optionally TLS) that hands each complete request to a handler and
// lets the handler answer later, from any thread: ListenHTTP answers after its session commit, and
// HandleHttpRequest/HandleHttpResponse can answer from another processor. Beast stays inside
// http_server.cpp; this header is cheap to include.
//
// The server enforces what needs no processor: authentication (401), the body size limit (413), the bound
// on requests waiting for an answer (503 with Retry-After), and read timeouts. Everything else is the
// handler's decision.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sluice::http {

struct HttpServerSettings {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;            // 0: any free port (see HttpServer::port)
  std::string tls_certificate_file;  // PEM chain; TLS when set (with the key)
  std::string tls_private_key_file;  // PEM
  std::uint64_t max_body_bytes = 10ULL << 20;
  std::size_t max_in_flight = 64;  // requests handed to the handler and not yet answered
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds retry_after{1'000};  // the Retry-After of a 503
  // Authentication: none when both are empty; either a valid basic user/password or the bearer token passes.
  std::string basic_username;
  std::string basic_password;  // sensitive
  std::string bearer_token;    // sensitive
  std::size_t threads = 1;
};

struct HttpRequest {
  std::string method;
  std::string target;  // path and query as sent
  std::string path;
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent
  std::string body;
  std::string remote_address;
  std::uint16_t remote_port = 0;
  bool tls = false;
};

struct HttpResponse {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Called once the answer is written to the client (true) or could not be (false: the client went away,
  // the server stopped). Runs on a server thread; must not block. Unset: nobody asks.
  std::function<void(bool written)> on_written;
};

// The answer to one request. Thread-safe and one-shot: later calls are ignored. A responder dropped
// without an answer answers 503, so a request is never left hanging.
class Responder {
 public:
  virtual ~Responder() = default;
  virtual void respond(HttpResponse response) = 0;
};

class HttpServer {
 public:
  // Called on a server thread for each accepted request; must not block (queue it, answer later).
  using Handler = std::function<void(HttpRequest&& request, std::shared_ptr<Responder> responder)>;
  using Logger = std::function<void(const std::string& message)>;

  HttpServer(HttpServerSettings settings, Handler handler, Logger log_warning);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving; throws std::runtime_error with the reason (address in use, bad certificate).
  void start();
  // Stops accepting and closes every connection (a request not answered yet gets no answer: to its client,
  // not stored). Answers given after this are dropped.
  void stop();
  [[nodiscard]] std::uint16_t port() const;

  // A 503 with Retry-After, for handlers that refuse because they are busy.
  [[nodiscard]] HttpResponse busy_response(std::string reason) const;

  struct Impl;  // the Beast side, defined in http_server.cpp

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace sluice::http
