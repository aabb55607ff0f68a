// HandleHttpResponse in the real engine (test kit), answering requests HandleHttpRequest received from an
// independent client (libcurl) through one shared HttpContextMap: status from an expression, headers from
// dynamic properties and attributes, the content as body; FlowFiles that answer nothing go to failure
// with the reason.
#include "handle_http_response.hpp"

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

TEST(HandleHttpResponseTest, RoundTripAnswersWithStatusHeadersAndBody) {
  HttpExchange x;
  x.responses.set_property("status_code", "${http.status}")
      .set_property("Content-Type", "application/json")
      .set_property("X-Date", "${http.path.segment.3}")
      .set_property("attributes_as_headers", "x-.*");
  auto [reply, request_ff] = x.ask("/consumption/daily/2024-03-01?verbose=1");
  x.answer(request_ff, R"({"date":"2024-03-01","total_kwh":12.5,"meters":2})",
           {{"http.status", "201"}, {"x-source", "sluice"}, {"other", "not a header"}});
  EXPECT_EQ(x.responses.count("success"), 1U);
  const Reply r = reply.get();
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, R"({"date":"2024-03-01","total_kwh":12.5,"meters":2})");
  EXPECT_THAT(r.headers, HasSubstr("Content-Type: application/json"));
  EXPECT_THAT(r.headers, HasSubstr("X-Date: 2024-03-01"));
  EXPECT_THAT(r.headers, HasSubstr("x-source: sluice"));
  EXPECT_THAT(r.headers, ::testing::Not(HasSubstr("other:")));
  EXPECT_EQ(x.shared.map().outstanding(), 0U);
}

TEST(HandleHttpResponseTest, AnUnknownOrMissingContextIdentifierGoesToFailureWithTheReason) {
  HttpExchange x;
  x.responses.set_property("status_code", "200");
  x.responses.enqueue("x", {{"http.context.identifier", "0123456789abcdef0123456789abcdef"}});
  x.responses.enqueue("y");
  x.responses.run();
  const auto failed = x.responses.take("failure");
  ASSERT_EQ(failed.size(), 2U);
  EXPECT_THAT(failed[0].attribute("handlehttpresponse.failure.reason"),
              HasSubstr("no request is waiting for context identifier '0123456789abcdef0123456789abcdef'"));
  EXPECT_THAT(failed[1].attribute("handlehttpresponse.failure.reason"),
              HasSubstr("no http.context.identifier"));
  EXPECT_EQ(x.responses.count("success"), 0U);
}

TEST(HandleHttpResponseTest, AnAnswerAfterTheTimeoutGoesToFailureAndTheClientHad503) {
  HttpExchange x(MapProperties{{"request_timeout", "5 s"}});
  x.responses.set_property("status_code", "200");
  auto [reply, request_ff] = x.ask("/late");
  x.requests.advance(std::chrono::seconds(6));
  x.requests.run();
  EXPECT_EQ(reply.get().status, 503);
  x.answer(request_ff, "too late");
  const auto failed = x.responses.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("handlehttpresponse.failure.reason"), HasSubstr("timed out"));
}

TEST(HandleHttpResponseTest, AnInvalidStatusGoesToFailureAndLeavesTheRequestWaiting) {
  HttpExchange x;
  x.responses.set_property("status_code", "${http.status}");
  auto [reply, request_ff] = x.ask("/x");
  x.answer(request_ff, "", {{"http.status", "OK"}});
  const auto failed = x.responses.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("handlehttpresponse.failure.reason"), HasSubstr("'OK' is not a number"));
  EXPECT_EQ(x.shared.map().outstanding(), 1U);  // another answer may still come
  x.answer(request_ff, "fine", {{"http.status", "200"}});
  EXPECT_EQ(reply.get().body, "fine");
}

TEST(HandleHttpResponseTest, AnAnswerThatCannotBeWrittenGoesToFailure) {
  HttpExchange x;
  x.responses.set_property("status_code", "200");
  auto [reply, request_ff] = x.ask("/x");
  x.requests.stop();  // the endpoint goes: the client's connection closes, the request is still in the map
  EXPECT_EQ(reply.get().status, 0);
  x.answer(request_ff, "nobody listens");
  const auto failed = x.responses.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("handlehttpresponse.failure.reason"), HasSubstr("could not be written"));
  EXPECT_EQ(x.responses.count("success"), 0U);
}

}  // namespace
}  // namespace sluice::http
