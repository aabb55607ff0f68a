#include "listen_http.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "http_headers.hpp"
#include "http_server.hpp"
#include "listener_config.hpp"
#include "listener_endpoint.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::http {

namespace {

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kHeaderPrefix = "http.header.";

struct Pending {
  HttpRequest request;
  std::shared_ptr<Responder> responder;
};

class ListenHttp final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    HttpServerSettings settings = listener_settings(context);
    const std::int64_t in_flight = context.int_property("max_in_flight");
    if (in_flight < 1) throw ProcessorError("max_in_flight must be at least 1");
    settings.max_in_flight = static_cast<std::size_t>(in_flight);
    base_path_ = context.string_property("base_path");
    if (base_path_.empty() || base_path_.front() != '/') base_path_.insert(base_path_.begin(), '/');
    headers_ = optional_regex(context, "headers_as_attributes", std::regex::icase);
    scheme_ = listener_scheme(settings);
    context_ = &context;
    server_ = start_listener(
        context, std::move(settings),
        [this](HttpRequest&& r, std::shared_ptr<Responder> responder) {
          accept(std::move(r), std::move(responder));
        },
        "listening", base_path_);
  }

  void on_stop(ProcessContext& /*context*/) override {
    // Requests still queued were not stored: tell their clients so (503).
    stop_listener(server_, queue_, [this](Pending& p) {
      p.responder->respond(server_->busy_response("the listener is stopping; nothing was stored"));
    });
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    std::vector<Pending> batch = queue_.take(context.batch_size());
    if (batch.empty()) {
      context.yield();
      return;
    }
    try {
      for (Pending& p : batch) receive(session, p.request);
      // The 200 promises the data is safe: only after the commit is durable.
      session.commit();
    } catch (const std::exception& e) {
      for (Pending& p : batch)
        p.responder->respond(text_response(500, "not stored: " + std::string(e.what())));
      throw;
    }
    for (Pending& p : batch) p.responder->respond(text_response(200, "OK"));
  }

 private:
  // On a server thread: queue the request, or refuse it at once.
  void accept(HttpRequest&& request, std::shared_ptr<Responder> responder) {
    if (request.path != base_path_) {
      responder->respond(text_response(404, "no listener at " + request.path.substr(0, 200)));
      return;
    }
    if (request.method != "POST" && request.method != "PUT") {
      HttpResponse r = text_response(405, "use POST or PUT");
      r.headers.emplace_back("Allow", "POST, PUT");
      responder->respond(std::move(r));
      return;
    }
    // Back pressure reaches the client: the engine will not trigger us while the output is full, so a request
    // accepted now would wait; tell the client to come back instead of buffering without bound.
    if (context_->output_full()) {
      responder->respond(server_->busy_response("busy: the flow is applying back pressure"));
      return;
    }
    queue_.push({std::move(request), std::move(responder)});
  }

  void receive(ProcessSession& session, const HttpRequest& request) const {
    FlowFile ff = session.create();
    if (!request.body.empty()) session.write(ff, [&](OutputStream& out) { out.write(request.body); });
    session.put_attribute(ff, "http.method", request.method);
    session.put_attribute(ff, "http.request.uri", request.path);
    if (!request.query.empty()) session.put_attribute(ff, "http.query.string", request.query);
    session.put_attribute(ff, "http.remote.addr", request.remote_address);
    for (const auto& [name, value] : request.headers) {
      const std::string key = lower_ascii(name);
      if (key == "content-type") session.put_attribute(ff, "mime.type", value);
      if (headers_ && key != "authorization" && std::regex_match(key, *headers_)) {
        session.put_attribute(ff, std::string(kHeaderPrefix) + key, value);
      }
    }
    session.report_receive(ff, scheme_ + "://" + request.remote_address + request.path);
    session.transfer(ff, kSuccess);
  }

  const ProcessContext* context_ = nullptr;
  std::unique_ptr<HttpServer> server_;
  std::string base_path_;
  std::string scheme_ = "http";
  std::optional<std::regex> headers_;
  PendingRequests<Pending> queue_;  // bounded by the server's max_in_flight
};

ProcessorSpec make_spec() {
  using standard::optional_property;
  ProcessorSpec s;
  s.type = "ListenHTTP";
  s.summary =
      "Receives FlowFiles over HTTP: each POST/PUT body becomes a FlowFile, acknowledged once durable.";
  s.description =
      "Serves `base_path` on `address`:`port` (HTTP/1.1, keep-alive; HTTPS with `tls_certificate_file` and "
      "`tls_private_key_file`). Each POST or PUT body becomes a FlowFile on `success` with the request's "
      "attributes, and the client gets its 200 only after the session holding the FlowFile has committed "
      "durably: a 200 means the data is safe, anything else means it was not stored (the client should "
      "retry). While a connection this processor feeds is full (back pressure), new requests are answered "
      "503 with `Retry-After` instead of being buffered; so are requests beyond `max_in_flight` waiting for "
      "their commit. Bodies larger than `max_body_size` are refused with 413, unauthenticated requests with "
      "401 (when `username`/`password` or `bearer_token` is set), other paths with 404 and other methods "
      "with 405. Headers whose lowercased names match `headers_as_attributes` become "
      "`http.header.<name>` attributes (never `Authorization`). Requests are picked up when the processor "
      "triggers: give it a timer schedule with a short `yield` (e.g. `yield: 5 ms`) for low latency.";
  s.tags = {"http", "https", "listen", "ingest", "rest", "server", "webhook", "source"};
  s.input = InputRequirement::kForbidden;
  // The endpoint's properties, with ListenHTTP's own among them where the docs have always listed them.
  s.properties = listener_properties();
  const auto at = [&s](std::size_t index) {
    return s.properties.begin() + static_cast<std::ptrdiff_t>(index);
  };
  s.properties.insert(at(2), optional_property("base_path", PropertyKind::kString, "/contentListener",
                                               "Path that accepts data."));
  s.properties.insert(at(4),
                      optional_property("max_in_flight", PropertyKind::kInt, "256",
                                        "Requests waiting for their commit at once; more are answered 503."));
  s.properties.insert(
      at(7), optional_property("headers_as_attributes", PropertyKind::kRegex, std::nullopt,
                               "Request headers whose lowercased name matches this regular expression become "
                               "`http.header.<name>` attributes. Unset: none (`mime.type` is always set from "
                               "Content-Type)."));
  s.relationships = {{"success", "One FlowFile per accepted request body."}};
  s.writes_attributes = {
      {"http.method", "POST or PUT."},
      {"http.request.uri", "The request path."},
      {"http.query.string", "The query string, when there is one."},
      {"http.remote.addr", "The client's address."},
      {"mime.type", "The request's Content-Type."},
      {"http.header.<name>", "Headers allowed by `headers_as_attributes`."},
  };
  s.examples = {{"Receive meter readings on port 8080 and write them to files",
                 "listen:\n  type: ListenHTTP\n  properties: { port: 8080, base_path: /meters, bearer_token: "
                 "${env:METER_TOKEN} }\n  schedule: { strategy: timer, period: 0 ms, yield: 5 ms }\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<ListenHttp>();
}

}  // namespace

const ProcessorDefinition& listen_http_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::http
