// How HandleHttpRequest names a request's parts: decoding of paths and query strings (malformed escapes
// kept as sent), empty segments and parameters, repeated names, and the Authorization header left out.
#include "request_attributes.hpp"

#include <map>
#include <string>

#include <gtest/gtest.h>

namespace sluice::http {
namespace {

std::map<std::string, std::string> attributes_of(const HttpRequest& request) {
  std::vector<std::pair<std::string, std::string>> out;
  request_attributes(request, out);
  return {out.begin(), out.end()};
}

TEST(RequestAttributesTest, PercentDecodingKeepsMalformedEscapesAsSent) {
  EXPECT_EQ(percent_decode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(percent_decode("100%", false), "100%");
  EXPECT_EQ(percent_decode("%4", false), "%4");
  EXPECT_EQ(percent_decode("%zz%41", false), "%zzA");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");  // a '+' in a path is a plus
  EXPECT_EQ(percent_decode("a+b", true), "a b");   // in a query, a space
}

TEST(RequestAttributesTest, SegmentsSkipEmptyOnesAndQueryNamesRepeat) {
  HttpRequest request;
  request.path = "//consumption//daily/2024-03-31/";
  request.query = "a=1&&b&a=2&=x&c=%C3%A9";
  request.headers = {
      {"Accept", "application/json"}, {"authorization", "Bearer t"}, {"X-A", "1"}, {"x-a", "2"}};
  const auto a = attributes_of(request);
  EXPECT_EQ(a.at("http.path.segments"), "3");
  EXPECT_EQ(a.at("http.path.segment.1"), "consumption");
  EXPECT_EQ(a.at("http.path.segment.3"), "2024-03-31");
  EXPECT_FALSE(a.contains("http.path.segment.4"));
  EXPECT_EQ(a.at("http.query.a"), "1,2");
  EXPECT_EQ(a.at("http.query.b"), "");
  EXPECT_EQ(a.at("http.query.c"), "\xC3\xA9");
  EXPECT_FALSE(a.contains("http.query."));  // a parameter without a name is dropped
  EXPECT_EQ(a.at("http.headers.accept"), "application/json");
  EXPECT_EQ(a.at("http.headers.x-a"), "1,2");
  EXPECT_FALSE(a.contains("http.headers.authorization"));
}

}  // namespace
}  // namespace sluice::http
