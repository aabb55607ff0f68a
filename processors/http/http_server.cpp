#include "http_server.hpp"

#include <atomic>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace sluice::http {

namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

constexpr std::uint32_t kHeaderLimit = 64 * 1024;

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = (static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16U) |
                       (static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8U) |
                       static_cast<unsigned>(static_cast<unsigned char>(in[i + 2]));
    for (const unsigned shift : {18U, 12U, 6U, 0U}) out += kAlphabet[(n >> shift) & 63U];
  }
  if (i < in.size()) {
    unsigned n = static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16U;
    if (i + 1 < in.size()) n |= static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8U;
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6U) & 63U] : '=';
    out += '=';
  }
  return out;
}

// Compares without leaking, through timing, how much of a secret matched.
bool equal_secret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(static_cast<unsigned char>(a[i]) ^
                                       static_cast<unsigned char>(b[i % std::max<std::size_t>(b.size(), 1)]));
  }
  return diff == 0;
}

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void close() = 0;
};

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<Impl> {
  HttpServerSettings settings;
  Handler handler;
  Logger log;
  net::io_context ioc;
  std::optional<ssl::context> tls;
  tcp::acceptor acceptor{ioc};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::atomic<std::size_t> in_flight{0};
  std::atomic<bool> stopped{false};
  std::uint16_t bound_port = 0;
  std::string expected_basic;   // "Basic <base64>"
  std::string expected_bearer;  // "Bearer <token>"
  std::mutex sessions_mutex;
  std::vector<std::weak_ptr<SessionBase>> sessions;

  [[nodiscard]] bool authentication_required() const {
    return !expected_basic.empty() || !expected_bearer.empty();
  }
  [[nodiscard]] bool authorized(std::string_view header) const {
    if (!authentication_required()) return true;
    return (!expected_basic.empty() && equal_secret(header, expected_basic)) ||
           (!expected_bearer.empty() && equal_secret(header, expected_bearer));
  }

  void track(const std::shared_ptr<SessionBase>& s) {
    const std::lock_guard lock(sessions_mutex);
    std::erase_if(sessions, [](const auto& w) { return w.expired(); });
    sessions.push_back(s);
  }

  void accept();
  template <typename Stream>
  void start_session(Stream stream);
};

namespace {

template <typename Stream>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(std::shared_ptr<HttpServer::Impl> server, Stream stream)
      : server_(std::move(server)), stream_(std::move(stream)) {}

  void run() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      read();
    } else {
      beast::get_lowest_layer(stream_).expires_after(server_->settings.read_timeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (!ec) self->read();
                              });
    }
  }

  void close() override {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(self->stream_).close();
    });
  }

  // From any thread: the handler's answer to the request this session is waiting on.
  void answer(HttpResponse response) {
    if (server_->stopped.load()) {
      if (response.on_written) response.on_written(false);
      return;
    }
    net::post(stream_.get_executor(), [self = this->shared_from_this(), r = std::move(response)]() mutable {
      self->write(std::move(r));
    });
  }

 private:
  void read() {
    if (server_->stopped.load()) return;
    parser_.emplace();
    parser_->body_limit(server_->settings.max_body_bytes);
    parser_->header_limit(kHeaderLimit);
    beast::get_lowest_layer(stream_).expires_after(server_->settings.read_timeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      keep_alive_ = false;
      write(plain(413,
                  "request body larger than " + std::to_string(server_->settings.max_body_bytes) + " bytes"));
      return;
    }
    if (ec) return;  // closed, timed out or garbage: drop the connection
    auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    const auto authorization = req[bhttp::field::authorization];
    if (!server_->authorized(std::string_view(authorization.data(), authorization.size()))) {
      HttpResponse r = plain(401, "authentication required");
      r.headers.emplace_back("WWW-Authenticate",
                             server_->expected_basic.empty() ? "Bearer" : R"(Basic realm="sluice")");
      write(std::move(r));
      return;
    }
    if (server_->in_flight.fetch_add(1) >= server_->settings.max_in_flight) {
      server_->in_flight.fetch_sub(1);
      write(busy(*server_, "too many requests in flight"));
      return;
    }
    HttpRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    const auto question = request.target.find('?');
    request.path = request.target.substr(0, question);
    request.query = question == std::string::npos ? std::string() : request.target.substr(question + 1);
    for (const auto& field : req)
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    request.body = std::move(req.body());
    beast::error_code endpoint_ec;
    const auto remote = beast::get_lowest_layer(stream_).socket().remote_endpoint(endpoint_ec);
    if (!endpoint_ec) {
      request.remote_address = remote.address().to_string();
      request.remote_port = remote.port();
    }
    request.tls = !std::is_same_v<Stream, beast::tcp_stream>;
    // No timeout while the handler decides: it answers after a durable commit, which takes what it takes.
    beast::get_lowest_layer(stream_).expires_never();
    server_->handler(std::move(request), std::make_shared<OneShot>(this->shared_from_this(), server_));
  }

  void write(HttpResponse response) {
    auto on_written = std::move(response.on_written);
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
    message->version(11);
    message->result(response.status);
    message->set(bhttp::field::server, "sluice");
    for (auto& [name, value] : response.headers) message->set(name, value);
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive_ && !server_->stopped.load());
    message->prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(server_->settings.read_timeout);
    bhttp::async_write(stream_, *message,
                       [self = this->shared_from_this(), message, done = std::move(on_written)](
                           beast::error_code ec, std::size_t) {
                         if (done) done(!ec);
                         if (ec || !message->keep_alive()) {
                           self->close();
                           return;
                         }
                         self->read();
                       });
  }

 public:
  static HttpResponse plain(unsigned status, std::string text) {
    HttpResponse r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
    r.body = std::move(text) + "\n";
    return r;
  }
  static HttpResponse busy(const HttpServer::Impl& server, std::string reason) {
    HttpResponse r = plain(503, std::move(reason));
    const auto seconds =
        std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::seconds>(
                                      server.settings.retry_after + std::chrono::milliseconds(999))
                                      .count());
    r.headers.emplace_back("Retry-After", std::to_string(seconds));
    return r;
  }

 private:
  class OneShot final : public Responder {
   public:
    OneShot(std::shared_ptr<Session> session, std::shared_ptr<HttpServer::Impl> server)
        : session_(std::move(session)), server_(std::move(server)) {}
    ~OneShot() override { respond(busy(*server_, "the request was not handled (the listener stopped)")); }
    OneShot(const OneShot&) = delete;
    OneShot& operator=(const OneShot&) = delete;

    void respond(HttpResponse response) override {
      if (answered_.exchange(true)) return;
      server_->in_flight.fetch_sub(1);
      session_->answer(std::move(response));
    }

   private:
    std::shared_ptr<Session> session_;
    std::shared_ptr<HttpServer::Impl> server_;
    std::atomic<bool> answered_{false};
  };

  std::shared_ptr<HttpServer::Impl> server_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bool keep_alive_ = true;
};

}  // namespace

template <typename Stream>
void HttpServer::Impl::start_session(Stream stream) {
  auto session = std::make_shared<Session<Stream>>(shared_from_this(), std::move(stream));
  track(session);
  session->run();
}

void HttpServer::Impl::accept() {
  acceptor.async_accept(
      net::make_strand(ioc), [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
        if (self->stopped.load()) return;
        if (!ec) {
          socket.set_option(tcp::no_delay(true), ec);
          if (self->tls) {
            self->start_session(
                beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *self->tls));
          } else {
            self->start_session(beast::tcp_stream(std::move(socket)));
          }
        } else if (self->log) {
          self->log("accept failed: " + ec.message());
        }
        self->accept();
      });
}

HttpServer::HttpServer(HttpServerSettings settings, Handler handler, Logger log_warning)
    : impl_(std::make_shared<Impl>()) {
  impl_->settings = std::move(settings);
  impl_->handler = std::move(handler);
  impl_->log = std::move(log_warning);
  if (!impl_->settings.basic_username.empty()) {
    impl_->expected_basic =
        "Basic " + base64(impl_->settings.basic_username + ":" + impl_->settings.basic_password);
  }
  if (!impl_->settings.bearer_token.empty())
    impl_->expected_bearer = "Bearer " + impl_->settings.bearer_token;
}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::start() {
  Impl& s = *impl_;
  if (!s.settings.tls_certificate_file.empty() || !s.settings.tls_private_key_file.empty()) {
    s.tls.emplace(ssl::context::tls_server);
    s.tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    try {
      s.tls->use_certificate_chain_file(s.settings.tls_certificate_file);
      s.tls->use_private_key_file(s.settings.tls_private_key_file, ssl::context::pem);
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error("cannot load the TLS certificate or key: " + std::string(e.what()));
    }
  }
  beast::error_code ec;
  const auto address = net::ip::make_address(s.settings.address, ec);
  if (ec) throw std::runtime_error("'" + s.settings.address + "' is not an IP address");
  const tcp::endpoint endpoint(address, s.settings.port);
  const std::string where = s.settings.address + ":" + std::to_string(s.settings.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
  s.bound_port = s.acceptor.local_endpoint().port();
  s.work.emplace(s.ioc.get_executor());
  s.accept();
  for (std::size_t i = 0; i < std::max<std::size_t>(1, s.settings.threads); ++i) {
    s.threads.emplace_back([&ioc = s.ioc] { ioc.run(); });
  }
}

void HttpServer::stop() {
  Impl& s = *impl_;
  if (s.stopped.exchange(true)) return;
  net::dispatch(s.ioc, [&s] {
    beast::error_code ignored;
    s.acceptor.close(ignored);
  });
  {
    const std::lock_guard lock(s.sessions_mutex);
    for (auto& w : s.sessions) {
      if (auto session = w.lock()) session->close();
    }
    s.sessions.clear();
  }
  // Every pending operation now completes (aborted) without starting another: run() returns by itself, and
  // no handler is left holding a session (and through it this server) in the io_context.
  s.work.reset();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
}

std::uint16_t HttpServer::port() const {
  return impl_->bound_port;
}

HttpResponse HttpServer::busy_response(std::string reason) const {
  return Session<beast::tcp_stream>::busy(*impl_, std::move(reason));
}

}  // namespace sluice::http
