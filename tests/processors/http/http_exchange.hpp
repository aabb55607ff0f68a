// What the HandleHttpRequest/HandleHttpResponse tests share: a request runner and a response runner on one
// HttpContextMap, a client on another thread, and bounded waits for the engine side to catch up.
#pragma once

#include <chrono>
#include <future>
#include <map>
#include <string>
#include <vector>

#include "curl_request.hpp"
#include "handle_http_request.hpp"
#include "handle_http_response.hpp"
#include "server_fixture.hpp"
#include "shared_context_map.hpp"
#include "sluice/testkit.hpp"

namespace sluice::http::test {

class HttpExchange {
 public:
  explicit HttpExchange(const std::map<std::string, std::string>& map_properties = {})
      : port_(sluice::testing::unused_port()) {
    requests.add_service("requests", SharedContextMap::definition(), map_properties);
    requests.set_property("http_context_map", "requests").set_property("port", std::to_string(port_));
    responses.add_service("requests", SharedContextMap::definition(), map_properties);
    responses.set_property("http_context_map", "requests");
  }

  [[nodiscard]] std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  // A client request on its own thread; the test drives the engine meanwhile.
  std::future<Reply> send(const std::string& method, const std::string& path, const std::string& body = {},
                          const std::vector<std::string>& headers = {}) {
    return std::async(std::launch::async, [this, method, path, body, headers] {
      return request(url(path), method, body, headers);
    });
  }

  // Triggers HandleHttpRequest until `n` FlowFiles are on success (the client is another thread: a bounded
  // wait on that condition). Each round moves the clock a little, past the processor's yield.
  void receive(std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (requests.count("success") < n && std::chrono::steady_clock::now() < deadline) {
      requests.advance(std::chrono::milliseconds(100));
      requests.run();
    }
  }

  // A client's GET on its own thread and the FlowFile HandleHttpRequest made of it (started on first use).
  struct Question {
    std::future<Reply> reply;
    testkit::OutputFlowFile request_ff;
  };
  Question ask(const std::string& path) {
    requests.run();
    Question q{send("GET", path), {}};
    receive(1);
    q.request_ff = requests.take("success").at(0);
    return q;
  }

  // Hands a request FlowFile (its http.* attributes) to HandleHttpResponse with `content` as the body.
  void answer(const testkit::OutputFlowFile& request_ff, const std::string& content,
              const std::map<std::string, std::string>& extra = {}) {
    std::map<std::string, std::string> attributes = extra;
    for (const auto& [name, value] : request_ff.attributes) {
      if (name.starts_with("http.")) attributes[name] = value;
    }
    responses.enqueue(content, attributes);
    responses.run();
  }

  // Declared first: destroyed after both runners.
  SharedContextMap shared;
  testkit::ProcessorRunner requests{handle_http_request_definition()};
  testkit::ProcessorRunner responses{handle_http_response_definition()};

 private:
  int port_;
};

}  // namespace sluice::http::test
