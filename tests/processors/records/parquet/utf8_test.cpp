#include "parquet/utf8.hpp"

#include <string>

#include <gtest/gtest.h>

namespace sluice::parquet {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii that is longer than eight bytes"));
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));  // é € 😀
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));                           // U+10FFFF
  EXPECT_TRUE(is_valid_utf8(std::string("a\0b", 3)));
}

TEST(Utf8, ReportsTheFirstBadByte) {
  EXPECT_EQ(find_invalid_utf8("abc\xFF"), 3U);
  EXPECT_EQ(find_invalid_utf8("abcdefghij\xC3"), 10U);   // truncated sequence
  EXPECT_EQ(find_invalid_utf8("\xC0\x80"), 0U);          // overlong NUL
  EXPECT_EQ(find_invalid_utf8("\xE0\x80\x80"), 0U);      // overlong
  EXPECT_EQ(find_invalid_utf8("x\xED\xA0\x80"), 1U);     // a surrogate
  EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0U);  // above U+10FFFF
  EXPECT_EQ(find_invalid_utf8("\xE2\x82"), 0U);          // cut short
  EXPECT_EQ(find_invalid_utf8("\xE2\x28\xA1"), 0U);      // bad continuation
  EXPECT_EQ(find_invalid_utf8("\x80"), 0U);              // lone continuation
}

}  // namespace
}  // namespace sluice::parquet
