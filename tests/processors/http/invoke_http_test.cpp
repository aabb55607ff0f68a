// InvokeHTTP against an independent HTTP(S) server (Python's http.server, from tests/integration/servers.py)
// that records what it received: bodies and headers sent, routing by status, a server that is down, TLS
// verification, credentials kept out of attributes, connection reuse.
#include "invoke_http.hpp"

#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "curl_client.hpp"
#include "server_fixture.hpp"
#include "sluice/testkit.hpp"

namespace sluice::http {
namespace {

using sluice::testing::ScratchDir;
using sluice::testing::ServerFixture;
using ::testing::HasSubstr;
using testkit::ProcessorRunner;

class InvokeHttpTest : public ::testing::Test {
 protected:
  // What the server recorded, one request per element, oldest first.
  [[nodiscard]] std::vector<nlohmann::json> received() const {
    std::vector<nlohmann::json> out;
    std::ifstream in(record_);
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
  }
  ScratchDir scratch_;
  std::string record_ = (scratch_.path() / "requests.jsonl").string();
};

std::string decode_base64(const std::string& in) {
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : in) {
    const auto pos = kAlphabet.find(c);
    if (pos == std::string::npos) break;
    buffer = (buffer << 6U) | static_cast<unsigned>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> static_cast<unsigned>(bits)) & 0xFFU);
    }
  }
  return out;
}

TEST_F(InvokeHttpTest, PostsTheContentWithHeadersAndRoutesTheResponse) {
  ServerFixture web({"http", "--record", record_});
  ProcessorRunner runner(invoke_http_definition());
  runner.set_property("method", "POST")
      .set_property("url", web.str("url") + "/echo")
      .set_property("attributes_to_send", "meter\\..*")
      .set_property("X-Source", "sluice");
  runner.enqueue("M0001,12.5", {{"meter.id", "M0001"}, {"other", "not sent"}, {"mime.type", "text/csv"}});
  runner.enqueue("M0002,13.0", {{"meter.id", "M0002"}});
  runner.run();
  const auto original = runner.take("original");
  const auto response = runner.take("response");
  ASSERT_EQ(original.size(), 2U);
  ASSERT_EQ(response.size(), 2U);
  EXPECT_EQ(original[0].attribute("invokehttp.status.code"), "200");
  EXPECT_EQ(original[0].content, "M0001,12.5");
  EXPECT_EQ(response[0].content, "M0001,12.5");  // the server echoes the body
  EXPECT_EQ(response[0].attribute("invokehttp.header.x-served-by"), "servers.py");
  EXPECT_EQ(response[0].attribute("mime.type"), "application/x-echo");

  const auto requests = received();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0]["method"], "POST");
  EXPECT_EQ(decode_base64(requests[0]["body"].get<std::string>()), "M0001,12.5");
  EXPECT_EQ(requests[0]["headers"]["meter.id"], "M0001");
  EXPECT_EQ(requests[0]["headers"]["X-Source"], "sluice");
  EXPECT_EQ(requests[0]["headers"]["Content-Type"], "text/csv");
  EXPECT_FALSE(requests[0]["headers"].contains("other"));
  EXPECT_EQ(requests[1]["headers"]["Content-Type"], "application/octet-stream");
  // One connection served both requests: the same client port.
  EXPECT_EQ(requests[0]["client_port"], requests[1]["client_port"]);
}

TEST_F(InvokeHttpTest, RoutesByStatusAndRetriesWhatMaySucceedLater) {
  ServerFixture web({"http", "--record", record_});
  auto call = [&](const std::string& path, const char* relationship) {
    ProcessorRunner runner(invoke_http_definition());
    runner.set_property("url", web.str("url") + path);
    runner.enqueue("x");
    runner.run();
    auto out = runner.take(relationship);
    EXPECT_EQ(out.size(), 1U) << path;
    // A response FlowFile only for a 2xx (its body, possibly empty).
    EXPECT_EQ(runner.take("response").size(), std::string_view(relationship) == "original" ? 1U : 0U) << path;
    return out.empty() ? testkit::OutputFlowFile{} : out[0];
  };
  const auto unavailable = call("/status/503", "retry");
  EXPECT_EQ(unavailable.attribute("invokehttp.status.code"), "503");
  EXPECT_THAT(unavailable.attribute("invokehttp.failure.reason"), HasSubstr("HTTP 503"));
  call("/status/429", "retry");
  const auto missing = call("/status/404", "no_retry");
  EXPECT_EQ(missing.attribute("invokehttp.status.code"), "404");
  call("/status/204", "original");
}

TEST_F(InvokeHttpTest, AnEndpointThatIsDownIsRetried) {
  ProcessorRunner runner(invoke_http_definition());
  runner.set_property("url", "http://127.0.0.1:" + std::to_string(sluice::testing::unused_port()) + "/x");
  runner.enqueue("x");
  runner.run();
  const auto retried = runner.take("retry");
  ASSERT_EQ(retried.size(), 1U);
  EXPECT_FALSE(retried[0].attributes.contains("invokehttp.status.code"));
  EXPECT_THAT(retried[0].attribute("invokehttp.failure.reason"), HasSubstr("127.0.0.1"));
}

TEST_F(InvokeHttpTest, VerifiesTlsAgainstTheConfiguredCa) {
  ServerFixture web({"http", "--tls", "--record", record_});
  {
    ProcessorRunner untrusted(invoke_http_definition());
    untrusted.set_property("url", web.str("url") + "/echo");
    untrusted.enqueue("x");
    untrusted.run();
    const auto failed = untrusted.take("failure");
    ASSERT_EQ(failed.size(), 1U);
    EXPECT_THAT(failed[0].attribute("invokehttp.failure.reason"), HasSubstr("certificate"));
    EXPECT_TRUE(received().empty());  // nothing was sent to a server we could not authenticate
  }
  ProcessorRunner trusted(invoke_http_definition());
  trusted.set_property("url", web.str("url") + "/echo").set_property("ca_file", web.str("ca_file"));
  trusted.enqueue("x");
  trusted.run();
  EXPECT_EQ(trusted.take("original").size(), 1U);
}

TEST_F(InvokeHttpTest, SendsCredentialsButNeverRecordsThem) {
  ServerFixture web({"http", "--record", record_});
  ProcessorRunner runner(invoke_http_definition());
  runner.set_property("url", web.str("url") + "/echo")
      .set_property("username", "meter")
      .set_property("password", "s3cret");
  runner.enqueue("x");
  runner.run();
  const auto out = runner.take("original");
  ASSERT_EQ(out.size(), 1U);
  for (const auto& [name, value] : out[0].attributes)
    EXPECT_THAT(value, ::testing::Not(HasSubstr("s3cret"))) << name;
  const auto requests = received();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0]["headers"]["Authorization"], "Basic bWV0ZXI6czNjcmV0");

  ProcessorRunner bearer(invoke_http_definition());
  bearer.set_property("url", web.str("url") + "/echo").set_property("bearer_token", "tok123");
  bearer.enqueue("x");
  bearer.run();
  EXPECT_EQ(received().at(1)["headers"]["Authorization"], "Bearer tok123");
}

TEST(InvokeHttpUrl, CredentialsAreStrippedFromUrls) {
  EXPECT_EQ(without_credentials("https://u:p@host:8443/a?b=1"), "https://host:8443/a?b=1");
  EXPECT_EQ(without_credentials("http://host/a@b"), "http://host/a@b");
  EXPECT_EQ(without_credentials("host/path"), "host/path");
}

}  // namespace
}  // namespace sluice::http
