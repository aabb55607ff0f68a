// Dates, times, decimals and JSON text of values: the conversions every reader and writer relies on.
#include <string>

#include <gtest/gtest.h>

#include "sluice/record.hpp"

namespace sluice {
namespace {

std::string ts(std::string_view text) {
  auto parsed = parse_timestamp(text);
  if (!parsed) return "invalid";
  std::string out;
  append_timestamp(parsed->micros, parsed->offset_minutes, out);
  return out;
}

TEST(RecordDateTime, TimestampsRoundTripWithTheirOffset) {
  EXPECT_EQ(ts("2024-03-01T13:45:00Z"), "2024-03-01T13:45:00Z");
  EXPECT_EQ(ts("2024-03-01 13:45:00.250"), "2024-03-01T13:45:00.250Z");
  EXPECT_EQ(ts("2024-03-01T13:45:00.000123+02:00"), "2024-03-01T13:45:00.000123+02:00");
  EXPECT_EQ(ts("1969-12-31T23:59:59.5-0130"), "1969-12-31T23:59:59.500-01:30");
  EXPECT_EQ(ts("2024-02-29"), "2024-02-29T00:00:00Z");
  EXPECT_EQ(ts("2023-02-29T00:00:00Z"), "invalid");
  EXPECT_EQ(ts("2024-03-01T24:00:00Z"), "invalid");
  EXPECT_EQ(ts("2024-03-01T13:45"), "invalid");
  EXPECT_EQ(ts("2024-03-01T13:45:00+2"), "invalid");
}

TEST(RecordDateTime, InstantIsUtc) {
  auto a = parse_timestamp("2024-03-01T15:45:00+02:00");
  auto b = parse_timestamp("2024-03-01T13:45:00Z");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->micros, b->micros);
  EXPECT_EQ(b->micros, 1'709'300'700'000'000);
}

TEST(RecordDateTime, DatesAndTimes) {
  ASSERT_EQ(parse_date("1970-01-02"), 1);
  ASSERT_EQ(parse_date("1969-12-31"), -1);
  EXPECT_FALSE(parse_date("1970-13-01"));
  std::string out;
  append_date(19'783, out);
  EXPECT_EQ(out, "2024-03-01");
  EXPECT_EQ(parse_time("00:00:01.5"), 1'500'000);
  out.clear();
  append_time(3'723'000'001, out);
  EXPECT_EQ(out, "01:02:03.000001");
}

TEST(RecordDecimal, NormalizesWithoutLosingDigits) {
  std::string out;
  ASSERT_TRUE(normalize_decimal("+0012.50", out));
  EXPECT_EQ(out, "12.50");
  ASSERT_TRUE(normalize_decimal("1.5e3", out));
  EXPECT_EQ(out, "1500");
  ASSERT_TRUE(normalize_decimal("-12345e-7", out));
  EXPECT_EQ(out, "-0.0012345");
  ASSERT_TRUE(normalize_decimal("-0.00", out));
  EXPECT_EQ(out, "0.00");
  EXPECT_FALSE(normalize_decimal("1.2.3", out));
  EXPECT_FALSE(normalize_decimal("abc", out));
  EXPECT_FALSE(normalize_decimal("", out));
  ASSERT_TRUE(normalize_decimal("123456789012345678901234567890123456789012.5", out));
  EXPECT_EQ(decimal_precision(out), 43);
}

TEST(RecordDecimal, RescaleRefusesToDropDigits) {
  std::string out;
  ASSERT_TRUE(rescale_decimal("12.5", 3, out));
  EXPECT_EQ(out, "12.500");
  ASSERT_TRUE(rescale_decimal("12.500", 1, out));
  EXPECT_EQ(out, "12.5");
  EXPECT_FALSE(rescale_decimal("12.55", 1, out));
}

TEST(RecordDecimal, UnscaledTwosComplementRoundTrips) {
  for (const char* text :
       {"0.00", "1.00", "-1.00", "127.00", "-128.00", "1.28", "-1.29",
        "12345678901234567890123456789012345678.99", "-99999999999999999999999999999999999999.99"}) {
    std::string bytes;
    std::string back;
    decimal_to_unscaled(text, 2, bytes);
    unscaled_to_decimal(bytes, 2, back);
    EXPECT_EQ(back, text);
  }
  std::string bytes;
  decimal_to_unscaled("-1", 0, bytes);
  EXPECT_EQ(bytes, std::string("\xFF", 1));
  decimal_to_unscaled("128", 0, bytes);
  EXPECT_EQ(bytes, std::string("\x00\x80", 2));
}

TEST(RecordJson, EscapesOnlyWhatJsonRequires) {
  std::string out;
  append_json_string("plain text that is longer than sixteen bytes, é ü", out);
  EXPECT_EQ(out, "\"plain text that is longer than sixteen bytes, é ü\"");
  out.clear();
  append_json_string(std::string("a\"b\\c\nd\x01 and a long tail after the escapes\t"), out);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\u0001 and a long tail after the escapes\\t\"");
}

TEST(RecordJson, ValuesAsJson) {
  std::string out;
  append_json(Value::real(0.1), nullptr, out);
  out += ' ';
  append_json(Value::decimal("12345678901234567890.123456789"), nullptr, out);
  out += ' ';
  append_json(Value::timestamp(0), nullptr, out);
  out += ' ';
  append_json(Value::integer(-42), nullptr, out);
  EXPECT_EQ(out, "0.1 12345678901234567890.123456789 \"1970-01-01T00:00:00Z\" -42");
}

}  // namespace
}  // namespace sluice
