// HandleHttpRequest in the real engine (test kit, injected clock), called by an independent client
// (libcurl): each request becomes a FlowFile that waits in the HttpContextMap for its answer; unanswered
// requests time out with 503 on the engine's clock, a full map answers 503, and the endpoint refuses what
// it does not serve.
#include "handle_http_request.hpp"

#include <chrono>
#include <future>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http_exchange.hpp"

namespace sluice::http {
namespace {

using test::HttpExchange;
using ::testing::HasSubstr;
using MapProperties = std::map<std::string, std::string>;
using test::Reply;

TEST(HandleHttpRequestTest, AGetBecomesAFlowFileWithPathSegmentsQueryAndHeaders) {
  HttpExchange x;
  x.requests.run();  // starts the endpoint
  EXPECT_TRUE(x.requests.yielded());
  auto reply = x.send("GET", "/consumption/daily/2024-03-31/M%2042?unit=kWh&tag=a+b&tag=c", {},
                      {"X-Trace: t-1", "Authorization: Basic c2VjcmV0"});
  x.receive(1);
  auto out = x.requests.take("success");
  ASSERT_EQ(out.size(), 1U);
  const auto& ff = out[0];
  EXPECT_EQ(ff.attribute("http.method"), "GET");
  EXPECT_EQ(ff.attribute("http.request.uri"), "/consumption/daily/2024-03-31/M%2042?unit=kWh&tag=a+b&tag=c");
  EXPECT_EQ(ff.attribute("http.path"), "/consumption/daily/2024-03-31/M 42");
  EXPECT_EQ(ff.attribute("http.path.segments"), "4");
  EXPECT_EQ(ff.attribute("http.path.segment.1"), "consumption");
  EXPECT_EQ(ff.attribute("http.path.segment.3"), "2024-03-31");
  EXPECT_EQ(ff.attribute("http.path.segment.4"), "M 42");
  EXPECT_EQ(ff.attribute("http.query.unit"), "kWh");
  EXPECT_EQ(ff.attribute("http.query.tag"), "a b,c");
  EXPECT_EQ(ff.attribute("http.query.string"), "unit=kWh&tag=a+b&tag=c");
  EXPECT_EQ(ff.attribute("http.headers.x-trace"), "t-1");
  EXPECT_FALSE(ff.attributes.contains("http.headers.authorization"));  // a credential, never an attribute
  EXPECT_EQ(ff.attribute("http.remote.addr"), "127.0.0.1");
  EXPECT_EQ(ff.attribute("http.context.identifier").size(), 32U);
  EXPECT_TRUE(ff.content.empty());
  // The request is a question: it waits for its answer.
  EXPECT_EQ(x.shared.map().outstanding(), 1U);
  EXPECT_EQ(reply.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  auto responder = x.shared.map().take(ff.attribute("http.context.identifier"), x.requests.now_ms());
  ASSERT_NE(responder, nullptr);
  HttpResponse answer;
  answer.status = 204;
  responder->respond(std::move(answer));
  EXPECT_EQ(reply.get().status, 204);
}

TEST(HandleHttpRequestTest, APostBodyIsTheContent) {
  HttpExchange x;
  x.requests.run();
  auto reply = x.send("POST", "/readings", R"({"meter":"M1"})", {"Content-Type: application/json"});
  x.receive(1);
  auto out = x.requests.take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content, R"({"meter":"M1"})");
  EXPECT_EQ(out[0].attribute("http.method"), "POST");
  EXPECT_EQ(out[0].attribute("mime.type"), "application/json");
  EXPECT_EQ(x.shared.map().expire(x.requests.now_ms() + 3'600'000), 1U);  // answers 503 so the client ends
  EXPECT_EQ(reply.get().status, 503);
}

TEST(HandleHttpRequestTest, ARequestNotAnsweredWithinTheTimeoutGets503OnTheEnginesClock) {
  HttpExchange x(MapProperties{{"request_timeout", "60 s"}});
  x.requests.run();
  auto reply = x.send("GET", "/slow");
  x.receive(1);
  ASSERT_EQ(x.requests.count("success"), 1U);
  x.requests.advance(std::chrono::seconds(50));
  x.requests.run();
  EXPECT_EQ(reply.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);  // still waiting
  EXPECT_EQ(x.shared.map().outstanding(), 1U);
  x.requests.advance(std::chrono::seconds(11));
  x.requests.run();  // each trigger expires what waited too long, even with nothing new to take
  const Reply r = reply.get();
  EXPECT_EQ(r.status, 503);
  EXPECT_THAT(r.body, HasSubstr("no response within the request timeout"));
  EXPECT_EQ(x.shared.map().outstanding(), 0U);
}

TEST(HandleHttpRequestTest, RequestsBeyondMaxOutstandingAreAnswered503WithRetryAfter) {
  HttpExchange x(MapProperties{{"max_outstanding", "1"}});
  x.requests.set_property("retry_after", "7 s");
  x.requests.run();
  auto first = x.send("GET", "/a");
  x.receive(1);
  const Reply refused = x.send("GET", "/b").get();  // answered at once, no trigger needed
  EXPECT_EQ(refused.status, 503);
  EXPECT_THAT(refused.headers, HasSubstr("Retry-After: 7"));
  EXPECT_THAT(refused.body, HasSubstr("too many requests are waiting"));
  // Once the first is answered there is room again.
  const auto ff = x.requests.take("success").at(0);
  x.responses.set_property("status_code", "200");
  x.answer(ff, "done");
  EXPECT_EQ(first.get().status, 200);
  auto again = x.send("GET", "/c");
  x.receive(1);
  EXPECT_EQ(x.requests.take("success").at(0).attribute("http.path"), "/c");
  x.shared.map().expire(x.requests.now_ms() + 3'600'000);
  EXPECT_EQ(again.get().status, 503);
}

TEST(HandleHttpRequestTest, RefusesPathsAndMethodsItDoesNotServe) {
  HttpExchange x;
  x.requests.set_property("allowed_methods", "get, head").set_property("path_regex", "/consumption/.*");
  x.requests.run();
  EXPECT_EQ(x.send("GET", "/elsewhere").get().status, 404);
  const Reply post = x.send("POST", "/consumption/x", "body").get();
  EXPECT_EQ(post.status, 405);
  EXPECT_THAT(post.headers, HasSubstr("Allow: GET, HEAD"));
  x.requests.run();
  EXPECT_EQ(x.requests.count("success"), 0U);
  EXPECT_EQ(x.shared.map().outstanding(), 0U);
}

TEST(HandleHttpRequestTest, RequiresTheConfiguredCredentials) {
  HttpExchange x;
  x.requests.set_property("username", "api").set_property("password", "s3cret");
  x.requests.run();
  const Reply anonymous = x.send("GET", "/x").get();
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_THAT(anonymous.headers, HasSubstr("WWW-Authenticate: Basic"));
  EXPECT_EQ(x.send("GET", "/x", {}, {"Authorization: Basic YXBpOndyb25n"}).get().status, 401);  // api:wrong
  auto good = x.send("GET", "/x", {}, {"Authorization: Basic YXBpOnMzY3JldA=="});               // api:s3cret
  x.receive(1);
  EXPECT_EQ(x.requests.count("success"), 1U);
  x.shared.map().expire(x.requests.now_ms() + 3'600'000);
  EXPECT_EQ(good.get().status, 503);
}

}  // namespace
}  // namespace sluice::http
