#include "invoke_http.hpp"

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "curl_client.hpp"
#include "http_headers.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::http {

namespace {

constexpr std::string_view kOriginal = "original";
constexpr std::string_view kResponse = "response";
constexpr std::string_view kRetry = "retry";
constexpr std::string_view kNoRetry = "no_retry";
constexpr std::string_view kFailure = "failure";
constexpr std::string_view kStatusCode = "invokehttp.status.code";
constexpr std::string_view kStatusMessage = "invokehttp.status.message";
constexpr std::string_view kRequestUrl = "invokehttp.request.url";
constexpr std::string_view kFailureReason = "invokehttp.failure.reason";
constexpr std::string_view kResponseHeaderPrefix = "invokehttp.header.";

bool sends_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

// 5xx and 429 (the endpoint asks us to come back) are worth retrying; other 4xx are the request's fault.
std::string_view route_for(long status) {  // NOLINT(google-runtime-int): curl's type
  if (status >= 200 && status < 300) return kOriginal;
  if (status >= 500 || status == 429 || status == 408) return kRetry;
  return kNoRetry;
}

class InvokeHttp final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    TlsSettings tls;
    tls.verify = context.bool_property("tls_verify");
    tls.ca_file = context.string_property("ca_file");
    if (!tls.verify) context.log(LogLevel::kWarn, "tls_verify is false: servers are not authenticated");
    client_ = std::make_unique<CurlClient>(std::move(tls));
    method_ = context.string_property("method");
    send_body_ = context.bool_property("send_body") && sends_body(method_);
    connect_timeout_ = millis(context, "connect_timeout");
    request_timeout_ = millis(context, "request_timeout");
    follow_redirects_ = context.bool_property("follow_redirects");
    username_ = context.string_property("username");
    password_ = context.string_property("password");
    bearer_token_ = context.string_property("bearer_token");
    if (!username_.empty() && !bearer_token_.empty()) {
      throw ProcessorError("set either username/password (basic) or bearer_token, not both");
    }
    content_type_set_ = context.property("content_type").has_value();
    attributes_to_send_ = optional_regex(context, "attributes_to_send");
    header_properties_ = header_properties(context);
    response_connected_ = context.is_connected(kResponse);
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    for (FlowFile& ff : session.get(context.batch_size())) invoke(context, session, ff);
  }

 private:
  static std::chrono::milliseconds millis(const ProcessContext& context, std::string_view name) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property(name));
  }

  // The request for `ff`, or the reason it cannot be built.
  std::optional<std::string> build(const ProcessContext& context, const FlowFile& ff, HttpCall& call) const {
    const EvaluationEnvironment env = context.environment();
    try {
      call.url = context.expression("url").evaluate(ff, env);
      for (const auto& name : header_properties_) {
        std::string value = context.expression(name).evaluate(ff, env);
        if (!valid_header_value(value)) return "header " + name + " has a line break in its value";
        call.headers.emplace_back(name, std::move(value));
      }
      if (send_body_) {
        std::string type;
        if (content_type_set_) {
          type = context.expression("content_type").evaluate(ff, env);
        } else if (auto mime = ff.attribute("mime.type")) {
          type = mime->str();
        } else {
          type = "application/octet-stream";
        }
        if (!valid_header_value(type)) return "content type has a line break";
        call.headers.emplace_back("Content-Type", std::move(type));
      }
    } catch (const ExpressionError& e) {
      return std::string("cannot evaluate: ") + e.what();
    }
    if (attributes_to_send_) {
      ff.for_each_attribute([&](std::string_view name, std::string_view value) {
        if (valid_header_name(name) && valid_header_value(value) &&
            std::regex_match(name.begin(), name.end(), *attributes_to_send_)) {
          call.headers.emplace_back(name, value);
        }
      });
    }
    if (call.url.empty()) return std::string("url is empty");
    call.method = method_;
    call.connect_timeout = connect_timeout_;
    call.request_timeout = request_timeout_;
    call.follow_redirects = follow_redirects_;
    call.username = username_;
    call.password = password_;
    call.bearer_token = bearer_token_;
    return std::nullopt;
  }

  void invoke(ProcessContext& context, ProcessSession& session, FlowFile& ff) {
    HttpCall call;
    if (auto reason = build(context, ff, call)) {
      fail(context, session, ff, kFailure, *reason);
      return;
    }
    FlowFile response = session.create(ff);
    std::variant<HttpResult, TransportError> outcome;
    auto perform = [&](OutputStream& out) {
      auto sink = [&](std::string_view bytes) {
        out.write(bytes);
        return true;
      };
      if (!send_body_) {
        outcome = client_->perform(call, sink);
        return;
      }
      session.read(ff, [&](InputStream& in) {
        call.body = in.view();
        outcome = client_->perform(call, sink);
      });
    };
    session.write(response, perform);

    if (const auto* error = std::get_if<TransportError>(&outcome)) {
      session.remove(response);
      fail(context, session, ff, error->kind == TransportFailure::kRetryable ? kRetry : kFailure,
           error->message);
      return;
    }
    const auto& result = std::get<HttpResult>(outcome);
    const std::string status = std::to_string(result.status);
    const std::string url = without_credentials(call.url);
    for (FlowFile* target : {&ff, &response}) {
      session.put_attribute(*target, kStatusCode, status);
      session.put_attribute(*target, kStatusMessage, result.reason);
      session.put_attribute(*target, kRequestUrl, url);
    }
    const std::string_view route = route_for(result.status);
    if (route != kOriginal) {
      session.remove(response);
      fail(context, session, ff, route, "HTTP " + status + " " + result.reason + " from " + url);
      return;
    }
    session.remove_attribute(ff, kFailureReason);
    session.report_send(ff, url);
    session.transfer(ff, kOriginal);
    if (!response_connected_) {
      session.remove(response);
      return;
    }
    for (const auto& [name, value] : result.headers) {
      session.put_attribute(response, std::string(kResponseHeaderPrefix) + name, value);
      if (name == "content-type") session.put_attribute(response, "mime.type", value);
    }
    session.report_receive(response, result.effective_url);
    session.transfer(response, kResponse);
  }

  static void fail(const ProcessContext& context, ProcessSession& session, FlowFile& ff,
                   std::string_view route, const std::string& reason) {
    if (context.log_enabled(LogLevel::kWarn)) {
      context.log(LogLevel::kWarn, "FlowFile " + ff.uuid() + " to " + std::string(route) + ": " + reason);
    }
    session.put_attribute(ff, kFailureReason, reason);
    if (route != kRetry) session.penalize(ff);
    session.transfer(ff, route);
  }

  std::unique_ptr<CurlClient> client_;
  std::string method_ = "GET";
  bool send_body_ = false;
  bool follow_redirects_ = true;
  bool content_type_set_ = false;
  bool response_connected_ = true;
  std::chrono::milliseconds connect_timeout_{5'000};
  std::chrono::milliseconds request_timeout_{30'000};
  std::string username_;
  std::string password_;
  std::string bearer_token_;
  std::optional<std::regex> attributes_to_send_;
  std::vector<std::string> header_properties_;
};

ProcessorSpec make_spec() {
  using standard::enum_property;
  using standard::optional_property;
  using standard::required_property;
  using standard::sensitive_property;
  ProcessorSpec s;
  s.type = "InvokeHTTP";
  s.summary = "Sends an HTTP request for each FlowFile and routes it by the response.";
  s.description =
      "Sends one request per FlowFile to `url` (an expression), with the FlowFile's content as the body for "
      "POST, PUT and PATCH, headers from dynamic properties (name = header, value an expression) and from "
      "attributes whose names match `attributes_to_send`. Connections are kept alive and reused between "
      "requests (a pool of curl handles sharing DNS, TLS sessions and connections). TLS certificates are "
      "verified by default (`ca_file` for a private CA). On a 2xx response the request FlowFile goes to "
      "`original` with a SEND provenance event, and the response body becomes a new FlowFile on `response` "
      "(with the response headers as `invokehttp.header.<name>` attributes). A 5xx, 429 or 408 response, a "
      "refused or broken connection or a timeout sends the FlowFile to `retry` (list it in the `retry:` "
      "block); other 4xx (and unfollowed 3xx) responses to `no_retry`; a URL that cannot be used, a TLS "
      "verification failure or an invalid header to `failure`. Every route carries `invokehttp.status.code` "
      "(when a response came) and, when not `original`, `invokehttp.failure.reason`. Credentials are never "
      "logged or recorded: URLs in provenance and attributes are stripped of `user:password@`.";
  s.tags = {"http", "https", "rest", "client", "egress", "invoke", "webhook"};
  s.input = InputRequirement::kRequired;
  s.dynamic_properties = true;
  s.dynamic_properties_description =
      "Each becomes a request header: the property name is the header name, its value an expression "
      "evaluated per FlowFile.";
  s.properties = {
      enum_property("method", "GET",
                    {{"GET", ""},
                     {"POST", ""},
                     {"PUT", ""},
                     {"PATCH", ""},
                     {"DELETE", ""},
                     {"HEAD", ""},
                     {"OPTIONS", ""}},
                    "HTTP method."),
      required_property("url", PropertyKind::kExpression,
                        "URL to call (http or https), evaluated per FlowFile."),
      optional_property("send_body", PropertyKind::kBool, "true",
                        "Send the FlowFile's content as the body of POST, PUT and PATCH requests."),
      optional_property("content_type", PropertyKind::kExpression, std::nullopt,
                        "Content-Type of the body. Unset: the `mime.type` attribute, else "
                        "`application/octet-stream`."),
      optional_property("attributes_to_send", PropertyKind::kRegex, std::nullopt,
                        "Attributes whose whole name matches this regular expression are sent as headers "
                        "(name = header). Unset: none."),
      optional_property("connect_timeout", PropertyKind::kDuration, "5 s", "Time allowed to connect."),
      optional_property("request_timeout", PropertyKind::kDuration, "30 s",
                        "Time allowed for the whole request and response."),
      optional_property("follow_redirects", PropertyKind::kBool, "true",
                        "Follow 3xx redirects (at most 8, http and https only; credentials are not sent to "
                        "another host)."),
      optional_property("tls_verify", PropertyKind::kBool, "true",
                        "Verify the server's certificate and host name. Turn off only for tests."),
      optional_property("ca_file", PropertyKind::kString, std::nullopt,
                        "PEM file of the CA certificates to trust instead of the system's."),
      optional_property("username", PropertyKind::kString, std::nullopt,
                        "User for HTTP basic authentication."),
      sensitive_property("password",
                         "Password for HTTP basic authentication (`${env:NAME}` or `${file:PATH}`)."),
      sensitive_property("bearer_token", "Token sent as `Authorization: Bearer …`."),
  };
  s.relationships = {
      {"original", "The request FlowFile, after a 2xx response."},
      {"response", "A new FlowFile per 2xx response, with the response body as content."},
      {"retry", "No response, a timeout, or a 5xx/429/408 response: worth trying again later."},
      {"no_retry", "A 4xx (other than 408/429) or unfollowed 3xx response: the request itself is refused."},
      {"failure", "The request could not be made: bad URL or header, TLS verification failure."},
  };
  s.reads_attributes = {{"mime.type", "Content-Type of the body, unless `content_type` is set."}};
  s.writes_attributes = {
      {"invokehttp.status.code", "The response status."},
      {"invokehttp.status.message", "The response's reason phrase."},
      {"invokehttp.request.url", "The URL called, without credentials."},
      {"invokehttp.header.<name>", "Each response header (lowercased name), on `response` FlowFiles."},
      {"mime.type", "The response's Content-Type, on `response` FlowFiles."},
      {"invokehttp.failure.reason", "Why the FlowFile went to `retry`, `no_retry` or `failure`."},
  };
  s.examples = {{"POST each FlowFile to a vendor's API, retrying while it is down",
                 "post:\n  type: InvokeHTTP\n  properties:\n    method: POST\n    url: "
                 "https://api.vendor.example/meters\n"
                 "    bearer_token: ${env:VENDOR_TOKEN}\n    X-Source: sluice\n"
                 "  retry: { relationships: [retry], policy: yield, backoff: 1 s, max_backoff: 1 min }\n"
                 "  terminate: [original, response, no_retry, failure]\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<InvokeHttp>();
}

}  // namespace

const ProcessorDefinition& invoke_http_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::http
