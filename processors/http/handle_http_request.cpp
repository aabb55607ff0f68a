#include "handle_http_request.hpp"

#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "http_context_map.hpp"
#include "http_headers.hpp"
#include "http_server.hpp"
#include "listener_config.hpp"
#include "listener_endpoint.hpp"
#include "request_attributes.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::http {

namespace {

constexpr std::string_view kSuccess = "success";
// The server's own bound stays out of the way: the context map's max_outstanding is the bound.
constexpr std::size_t kServerInFlight = std::size_t{1} << 20U;

struct Pending {
  std::string id;
  HttpRequest request;
};

std::set<std::string, std::less<>> parse_methods(std::string_view list) {
  std::set<std::string, std::less<>> methods;
  std::string current;
  for (const char c : list) {
    if (c == ',' || c == ' ') {
      if (!current.empty()) methods.insert(std::exchange(current, {}));
    } else {
      current += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  if (!current.empty()) methods.insert(current);
  return methods;
}

class HandleHttpRequest final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    map_ = &context.service<HttpContextMap>("http_context_map");
    HttpServerSettings settings = listener_settings(context);
    settings.max_in_flight = kServerInFlight;
    methods_ = parse_methods(context.string_property("allowed_methods"));
    if (methods_.empty()) throw ProcessorError("allowed_methods names no method");
    allow_header_.clear();
    for (const auto& m : methods_) {
      if (!allow_header_.empty()) allow_header_ += ", ";
      allow_header_ += m;
    }
    path_ = optional_regex(context, "path_regex");
    scheme_ = listener_scheme(settings);
    context_ = &context;
    server_ = start_listener(
        context, std::move(settings),
        [this](HttpRequest&& r, const std::shared_ptr<Responder>& responder) {
          accept(std::move(r), responder);
        },
        "handling requests", "");
  }

  void on_stop(ProcessContext& context) override {
    // Requests not turned into FlowFiles yet: nobody will answer them, say so before the server goes.
    // Those already FlowFiles stay in the map for HandleHttpResponse (their connections close with the
    // server, so their answers are dropped, and their clients ask again).
    stop_listener(server_, queue_, [this, &context](Pending& p) {
      if (auto r = map_->take(p.id, context.now_ms()))
        r->respond(server_->busy_response("the endpoint is stopping"));
    });
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    // Time passes for the waiting requests here (the engine's clock), also when nothing new came in.
    map_->expire(context.now_ms());
    std::vector<Pending> batch = queue_.take(context.batch_size());
    if (batch.empty()) {
      context.yield();
      return;
    }
    try {
      for (Pending& p : batch) {
        if (map_->holds(p.id)) receive(session, p);  // else it timed out before it became a FlowFile
      }
      session.commit();
    } catch (const std::exception& e) {
      for (Pending& p : batch) {
        if (auto r = map_->take(p.id, context.now_ms()))
          r->respond(text_response(500, "not handled: " + std::string(e.what())));
      }
      throw;
    }
  }

 private:
  // On a server thread: hold the request for its answer and queue it, or refuse it at once.
  void accept(HttpRequest&& request, const std::shared_ptr<Responder>& responder) {
    if (path_ && !std::regex_match(request.path, *path_)) {
      responder->respond(text_response(404, "nothing is served at " + request.path.substr(0, 200)));
      return;
    }
    if (!methods_.contains(request.method)) {
      HttpResponse r = text_response(405, "method not allowed");
      r.headers.emplace_back("Allow", allow_header_);
      responder->respond(std::move(r));
      return;
    }
    if (context_->output_full()) {
      responder->respond(server_->busy_response("busy: the flow is applying back pressure"));
      return;
    }
    std::string id = new_context_id();
    const std::int64_t now = context_->now_ms();
    map_->expire(now);
    if (!map_->hold(id, responder, now)) {
      responder->respond(server_->busy_response("busy: too many requests are waiting for a response"));
      return;
    }
    queue_.push({std::move(id), std::move(request)});
  }

  void receive(ProcessSession& session, Pending& pending) {
    const HttpRequest& request = pending.request;
    FlowFile ff = session.create();
    if (!request.body.empty()) session.write(ff, [&](OutputStream& out) { out.write(request.body); });
    session.put_attribute(ff, "http.context.identifier", pending.id);
    session.put_attribute(ff, "http.method", request.method);
    session.put_attribute(ff, "http.request.uri", request.target);
    if (!request.query.empty()) session.put_attribute(ff, "http.query.string", request.query);
    session.put_attribute(ff, "http.remote.addr", request.remote_address);
    session.put_attribute(ff, "http.remote.port", std::to_string(request.remote_port));
    session.put_attribute(ff, "http.scheme", scheme_);
    attributes_.clear();
    request_attributes(request, attributes_);
    for (const auto& [name, value] : attributes_) {
      session.put_attribute(ff, name, value);
      if (name == "http.headers.content-type") session.put_attribute(ff, "mime.type", value);
    }
    session.report_receive(ff, scheme_ + "://" + request.remote_address + request.path);
    session.transfer(ff, kSuccess);
  }

  const ProcessContext* context_ = nullptr;
  HttpContextMap* map_ = nullptr;
  std::unique_ptr<HttpServer> server_;
  std::string scheme_ = "http";
  std::set<std::string, std::less<>> methods_;
  std::string allow_header_;
  std::optional<std::regex> path_;
  std::vector<std::pair<std::string, std::string>> attributes_;  // reused across FlowFiles
  PendingRequests<Pending> queue_;  // bounded: each entry is held in the map, which has max_outstanding
};

ProcessorSpec make_spec() {
  using standard::optional_property;
  ProcessorSpec s;
  s.type = "HandleHttpRequest";
  s.summary =
      "Serves HTTP: each request becomes a FlowFile that HandleHttpResponse answers later in the flow.";
  s.description =
      "Listens on `address`:`port` (HTTP/1.1, keep-alive; HTTPS with `tls_certificate_file` and "
      "`tls_private_key_file`; basic or bearer authentication like ListenHTTP) and turns each request whose "
      "method is in `allowed_methods` and whose path matches `path_regex` into a FlowFile on `success`: the "
      "body is its content, the method, path, path segments, query parameters and headers are attributes. "
      "The connection stays open while the flow works out the answer: the request waits in the "
      "`http_context_map` service under a random `http.context.identifier` until a HandleHttpResponse naming "
      "the same service answers it, or is answered 503 after the service's `request_timeout`. While the "
      "service holds `max_outstanding` requests, or while a connection this processor feeds is full, new "
      "requests are answered 503 with `Retry-After`. Unlike ListenHTTP this is not data ingestion: the "
      "request is a question, not acknowledged as stored, and a restart loses the requests in flight (their "
      "clients see the connection close and ask again), as in NiFi. Give it a timer schedule with a short "
      "`yield` (e.g. `yield: 5 ms`) for low latency; each trigger also expires requests that waited too "
      "long.";
  s.tags = {"http", "https", "request", "rest", "api", "server", "web service", "source"};
  s.input = InputRequirement::kForbidden;
  s.properties = listener_properties();
  s.properties.insert(
      s.properties.begin(),
      http_context_map_property("The HttpContextMap service where requests wait for their response."));
  s.properties.push_back(optional_property("allowed_methods", PropertyKind::kString,
                                           "GET, POST, PUT, DELETE, HEAD, OPTIONS",
                                           "Methods served (comma-separated); others are answered 405."));
  s.properties.push_back(optional_property("path_regex", PropertyKind::kRegex, std::nullopt,
                                           "Paths served (the whole path must match); others are answered "
                                           "404. Unset: every path."));
  s.relationships = {{"success", "One FlowFile per request, waiting for its response."}};
  s.writes_attributes = {
      {"http.context.identifier", "The id HandleHttpResponse answers the request by."},
      {"http.method", "The request method."},
      {"http.request.uri", "The request target as sent (path and query)."},
      {"http.path", "The decoded path."},
      {"http.path.segments", "How many non-empty path segments there are."},
      {"http.path.segment.<n>", "The n-th path segment (1-based, decoded): `/a/b` gives `a` and `b`."},
      {"http.query.string", "The raw query string, when there is one."},
      {"http.query.<name>", "Each query parameter, decoded (repeated names joined with `,`)."},
      {"http.headers.<name>", "Each request header by lowercased name (never `Authorization`)."},
      {"http.remote.addr", "The client's address."},
      {"http.remote.port", "The client's port."},
      {"http.scheme", "`http` or `https`."},
      {"mime.type", "The request's Content-Type."},
  };
  s.examples = {{"An API endpoint answered by the rest of the flow",
                 "services:\n  requests: { type: HttpContextMap, properties: { request_timeout: 30 s } }\n"
                 "processors:\n  api:\n    type: HandleHttpRequest\n    properties: { port: 8080, "
                 "http_context_map: requests, allowed_methods: GET, path_regex: '/consumption/.*' }\n"
                 "    schedule: { strategy: timer, period: 0 ms, yield: 5 ms }\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<HandleHttpRequest>();
}

}  // namespace

const ProcessorDefinition& handle_http_request_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::http
