// ListenHTTP in the real engine (test kit), called by an independent client (libcurl): a body becomes a
// FlowFile and is answered 200 once committed; size limit, authentication, in-flight bound, wrong path or
// method, and TLS.
#include "listen_http.hpp"

#include <chrono>
#include <cstdlib>
#include <future>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "curl_request.hpp"
#include "server_fixture.hpp"
#include "sluice/testkit.hpp"

namespace sluice::http {
namespace {

using sluice::testing::ScratchDir;
using test::Reply;
using test::request;
using ::testing::HasSubstr;
using testkit::ProcessorRunner;

class ListenHttpTest : public ::testing::Test {
 protected:
  void SetUp() override { port_ = sluice::testing::unused_port(); }
  void configure(ProcessorRunner& runner) const {
    runner.set_property("port", std::to_string(port_)).set_property("base_path", "/meters");
  }
  [[nodiscard]] std::string url(const std::string& scheme = "http") const {
    return scheme + "://127.0.0.1:" + std::to_string(port_) + "/meters";
  }
  // Triggers the processor until `n` FlowFiles reached success; the client is another thread, so wait on
  // that condition with a bounded timeout.
  static void run_until(ProcessorRunner& runner, std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (runner.count("success") < n && std::chrono::steady_clock::now() < deadline) {
      runner.advance(std::chrono::seconds(2));  // past any yield
      runner.run();
    }
  }
  int port_ = 0;
};

TEST_F(ListenHttpTest, ABodyBecomesAFlowFileAnsweredOnceCommitted) {
  ProcessorRunner runner(listen_http_definition());
  configure(runner);
  runner.set_property("headers_as_attributes", "x-meter-.*|authorization");
  runner.run();  // starts the server; nothing to take yet
  EXPECT_TRUE(runner.yielded());
  auto reply = std::async(std::launch::async, [&] {
    return request(
        url(), "POST", "M0001,12.5\n",
        {"Content-Type: text/csv", "X-Meter-Site: north", "Authorization: Basic c2VjcmV0", "X-Other: 1"});
  });
  run_until(runner, 1);
  const Reply r = reply.get();
  EXPECT_EQ(r.status, 200);
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content, "M0001,12.5\n");
  EXPECT_EQ(out[0].attribute("mime.type"), "text/csv");
  EXPECT_EQ(out[0].attribute("http.method"), "POST");
  EXPECT_EQ(out[0].attribute("http.request.uri"), "/meters");
  EXPECT_EQ(out[0].attribute("http.remote.addr"), "127.0.0.1");
  EXPECT_EQ(out[0].attribute("http.header.x-meter-site"), "north");
  EXPECT_FALSE(out[0].attributes.contains("http.header.authorization"));  // never, whatever the allow-list
  EXPECT_FALSE(out[0].attributes.contains("http.header.x-other"));
}

TEST_F(ListenHttpTest, RefusesWhatItCannotAcceptWithoutTheProcessorRunning) {
  ProcessorRunner runner(listen_http_definition());
  configure(runner);
  runner.set_property("max_body_size", "1 KiB");
  runner.run();
  EXPECT_EQ(request(url(), "POST", std::string(4096, 'x')).status, 413);
  EXPECT_EQ(request(url(), "GET", "").status, 405);
  EXPECT_EQ(request("http://127.0.0.1:" + std::to_string(port_) + "/elsewhere", "POST", "x").status, 404);
  EXPECT_EQ(runner.count("success"), 0U);
}

TEST_F(ListenHttpTest, RequiresTheConfiguredCredentials) {
  ProcessorRunner runner(listen_http_definition());
  configure(runner);
  runner.set_property("bearer_token", "tok-123");
  runner.run();
  const Reply anonymous = request(url(), "POST", "x");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_THAT(anonymous.headers, HasSubstr("WWW-Authenticate: Bearer"));
  EXPECT_EQ(request(url(), "POST", "x", {"Authorization: Bearer wrong"}).status, 401);
  auto good = std::async(std::launch::async,
                         [&] { return request(url(), "POST", "x", {"Authorization: Bearer tok-123"}); });
  run_until(runner, 1);
  EXPECT_EQ(good.get().status, 200);
}

TEST_F(ListenHttpTest, RequestsBeyondTheInFlightBoundAreAnswered503WithRetryAfter) {
  ProcessorRunner runner(listen_http_definition());
  configure(runner);
  runner.set_property("max_in_flight", "1").set_property("retry_after", "3 s");
  runner.run();
  // Two clients at once: one waits for its commit, the other is refused at once, whichever came second.
  auto a = std::async(std::launch::async, [&] { return request(url(), "POST", "a"); });
  auto b = std::async(std::launch::async, [&] { return request(url(), "POST", "b"); });
  std::future<Reply>* first = nullptr;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (first == nullptr && std::chrono::steady_clock::now() < deadline) {
    if (a.wait_for(std::chrono::milliseconds(10)) == std::future_status::ready)
      first = &a;
    else if (b.wait_for(std::chrono::milliseconds(10)) == std::future_status::ready)
      first = &b;
  }
  ASSERT_NE(first, nullptr);
  const Reply refused = first->get();
  EXPECT_EQ(refused.status, 503);
  EXPECT_THAT(refused.headers, HasSubstr("Retry-After: 3"));
  run_until(runner, 1);
  EXPECT_EQ((first == &a ? b : a).get().status, 200);
}

TEST_F(ListenHttpTest, ServesHttpsWithTheConfiguredCertificate) {
  const ScratchDir dir;
  const std::string cert = (dir.path() / "cert.pem").string();
  const std::string key = (dir.path() / "key.pem").string();
  const std::string make_cert =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + key + " -out " +
      cert + " -days 2 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1";
  ASSERT_EQ(std::system(make_cert.c_str()), 0);  // NOLINT(cert-env33-c): the test's own fixed command
  ProcessorRunner runner(listen_http_definition());
  configure(runner);
  runner.set_property("tls_certificate_file", cert).set_property("tls_private_key_file", key);
  runner.run();
  auto reply =
      std::async(std::launch::async, [&] { return request(url("https"), "PUT", "secure", {}, cert); });
  run_until(runner, 1);
  EXPECT_EQ(reply.get().status, 200);
  EXPECT_EQ(runner.take("success").at(0).content, "secure");
}

}  // namespace
}  // namespace sluice::http
