#include "handle_http_response.hpp"

#include <charconv>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "failure.hpp"
#include "http_context_map.hpp"
#include "http_headers.hpp"
#include "http_server.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::http {

namespace {

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kReasonAttribute = "handlehttpresponse.failure.reason";
// The server gives up on a write after its read_timeout; this only guards against a server that never
// reports back at all.
constexpr auto kWriteWait = std::chrono::minutes(5);

struct Answer {
  FlowFile ff;
  std::future<bool> written;
};

class HandleHttpResponse final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    map_ = &context.service<HttpContextMap>("http_context_map");
    headers_ = header_properties(context);
    attribute_headers_ = optional_regex(context, "attributes_as_headers");
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const std::int64_t now = context.now_ms();
    map_->expire(now);
    const std::vector<FlowFile> batch = session.get(context.batch_size());
    if (batch.empty()) {
      context.yield();
      return;
    }
    const EvaluationEnvironment env = context.environment();
    std::vector<Answer> answers;
    answers.reserve(batch.size());
    for (FlowFile ff : batch) {
      std::string reason;
      HttpResponse response = build(context, session, ff, env, reason);
      if (!reason.empty()) {
        standard::route_to_failure(context, session, ff, kReasonAttribute, reason);
        continue;
      }
      const auto id = ff.attribute("http.context.identifier");
      auto responder = map_->take(id->view(), now);
      if (!responder) {
        standard::route_to_failure(context, session, ff, kReasonAttribute,
                                   "no request is waiting for context identifier '" + id->str() +
                                       "' (unknown, already answered, or timed out)");
        continue;
      }
      auto done = std::make_shared<std::promise<bool>>();
      Answer answer{ff, done->get_future()};
      response.on_written = [done](bool written) { done->set_value(written); };
      responder->respond(std::move(response));
      answers.push_back(std::move(answer));
    }
    // Every answer of the batch is on its way; now collect whether each reached its client.
    for (Answer& a : answers) {
      bool written = false;
      if (a.written.wait_for(kWriteWait) == std::future_status::ready) {
        try {
          written = a.written.get();
        } catch (const std::future_error&) {
          written = false;  // dropped unsent: the server stopped
        }
      }
      if (!written) {
        standard::route_to_failure(context, session, a.ff, kReasonAttribute,
                                   "the response could not be written: the client or the server closed the "
                                   "connection");
        continue;
      }
      session.report_send(a.ff, transit_uri(a.ff));
      session.transfer(a.ff, kSuccess);
    }
  }

 private:
  // The response for `ff`, or an empty one with `reason` set when the FlowFile cannot be an answer.
  HttpResponse build(ProcessContext& context, ProcessSession& session, const FlowFile& ff,
                     const EvaluationEnvironment& env, std::string& reason) const {
    HttpResponse response;
    const auto id = ff.attribute("http.context.identifier");
    if (!id || id->view().empty()) {
      reason = "no http.context.identifier attribute: not a request from HandleHttpRequest";
      return response;
    }
    const std::string status = context.expression("status_code").evaluate(ff, env);
    unsigned code = 0;
    const auto [end, ec] = std::from_chars(status.data(), status.data() + status.size(), code);
    if (ec != std::errc() || end != status.data() + status.size() || code < 100 || code > 599) {
      reason = "status code '" + status.substr(0, 40) + "' is not a number from 100 to 599";
      return response;
    }
    response.status = code;
    for (const auto& name : headers_) {
      std::string value = context.expression(name).evaluate(ff, env);
      if (!valid_header_value(value)) {
        reason = "header '" + name + "' has a line break in its value";
        return response;
      }
      response.headers.emplace_back(name, std::move(value));
    }
    if (attribute_headers_) {
      ff.for_each_attribute([&](std::string_view name, std::string_view value) {
        if (!reason.empty() || name.starts_with("http.") || !valid_header_name(name) ||
            !std::regex_match(name.begin(), name.end(), *attribute_headers_))
          return;
        if (!valid_header_value(value)) {
          reason = "attribute '" + std::string(name) + "' has a line break in its value";
          return;
        }
        response.headers.emplace_back(std::string(name), std::string(value));
      });
      if (!reason.empty()) return response;
    }
    session.read(ff, [&](InputStream& in) { response.body.assign(in.view()); });
    return response;
  }

  static std::string transit_uri(const FlowFile& ff) {
    std::string uri;
    const auto scheme = ff.attribute("http.scheme");
    uri.append(scheme ? scheme->view() : std::string_view("http"));
    uri.append("://");
    if (const auto remote = ff.attribute("http.remote.addr")) uri.append(remote->view());
    if (const auto path = ff.attribute("http.path")) uri.append(path->view());
    return uri;
  }

  HttpContextMap* map_ = nullptr;
  std::vector<std::string> headers_;  // dynamic property names, each an expression for the value
  std::optional<std::regex> attribute_headers_;
};

ProcessorSpec make_spec() {
  using standard::optional_property;
  using standard::required_property;
  ProcessorSpec s;
  s.type = "HandleHttpResponse";
  s.summary = "Answers the HTTP request a FlowFile from HandleHttpRequest stands for.";
  s.description =
      "Finds the request waiting in `http_context_map` under the FlowFile's `http.context.identifier` and "
      "answers it: status `status_code` (an expression, e.g. `200` or `${http.status}`), headers from the "
      "dynamic properties (name = header, value = expression) and from the attributes matching "
      "`attributes_as_headers` (never `http.*` attributes), the FlowFile's content as body. The FlowFile "
      "goes to `success` once the response is written to the client (with a SEND provenance event), to "
      "`failure` with the reason in `handlehttpresponse.failure.reason` when there is no such request "
      "waiting (unknown id, already answered, or timed out and answered 503), when the status or a header "
      "is invalid, or when the client is gone before the response was written. A request is answered once: "
      "route copies of a request FlowFile to one HandleHttpResponse only.";
  s.tags = {"http", "https", "response", "rest", "api", "server", "web service"};
  s.input = InputRequirement::kRequired;
  s.properties.push_back(
      http_context_map_property("The HttpContextMap service HandleHttpRequest holds the request in."));
  s.properties.push_back(required_property("status_code", PropertyKind::kExpression,
                                           "The HTTP status (100-599) to answer with."));
  s.properties.push_back(
      optional_property("attributes_as_headers", PropertyKind::kRegex, std::nullopt,
                        "Attributes whose whole name matches become response headers of the "
                        "same name (never `http.*`). Unset: none."));
  s.dynamic_properties = true;
  s.dynamic_properties_description =
      "A response header: the property name is the header name, the value an expression evaluated against "
      "the FlowFile.";
  s.relationships = {{"success", "The response was written to the client."},
                     {"failure",
                      "No request was waiting for this FlowFile, or the response was invalid or "
                      "could not be written."}};
  s.reads_attributes = {{"http.context.identifier", "Which request to answer."},
                        {"http.remote.addr", "For the provenance transit URI."},
                        {"http.path", "For the provenance transit URI."}};
  s.writes_attributes = {{"handlehttpresponse.failure.reason", "Why the FlowFile went to failure."}};
  s.examples = {{"Answer with JSON",
                 "respond:\n  type: HandleHttpResponse\n  properties:\n    http_context_map: requests\n"
                 "    status_code: ${http.status}\n    Content-Type: application/json\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<HandleHttpResponse>();
}

}  // namespace

const ProcessorDefinition& handle_http_response_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::http
