#include "sluice/units.hpp"

#include <gtest/gtest.h>

namespace sluice {
namespace {

using namespace std::chrono_literals;

TEST(ParseSize, BinaryAndDecimalUnits) {
  EXPECT_EQ(parse_size("1 KiB"), 1024u);
  EXPECT_EQ(parse_size("1KB"), 1000u);
  EXPECT_EQ(parse_size("10 MiB"), 10u * 1024 * 1024);
  EXPECT_EQ(parse_size("2 GB"), 2'000'000'000u);
  EXPECT_EQ(parse_size("1 TiB"), 1ULL << 40);
  EXPECT_EQ(parse_size("512"), 512u);
  EXPECT_EQ(parse_size("512 B"), 512u);
  EXPECT_EQ(parse_size("3 bytes"), 3u);
  EXPECT_EQ(parse_size("0"), 0u);
}

TEST(ParseSize, CaseInsensitiveAndSpacesOptional) {
  EXPECT_EQ(parse_size("1kib"), 1024u);
  EXPECT_EQ(parse_size("1 kib"), 1024u);
  EXPECT_EQ(parse_size("  4 mb  "), 4'000'000u);
  EXPECT_EQ(parse_size("1GIB"), 1ULL << 30);
}

TEST(ParseSize, FractionsRoundDown) {
  EXPECT_EQ(parse_size("1.5 GiB"), 1610612736u);
  EXPECT_EQ(parse_size("0.5 KB"), 500u);
  EXPECT_EQ(parse_size("0.1 KiB"), 102u);
}

TEST(ParseSize, RejectsGarbageNegativeAndOverflow) {
  for (const char* bad : {"",           " ",
                          "KiB",        "-1",
                          "-1 KiB",     "+1",
                          "1 KiBs",     "1 K",
                          "10 KB/s",    "1.",
                          ".5 KiB",     "1e3",
                          "1,5 KiB",    "1.5 B",
                          "1.5",        "1 2",
                          "0x10",       "18446744073709551616",
                          "16 EiB",     "20000000 TiB",
                          "1 KiB extra"}) {
    EXPECT_FALSE(parse_size(bad)) << bad;
  }
  EXPECT_EQ(parse_size("18446744073709551615"), 18446744073709551615ULL);
}

TEST(ParseDuration, Units) {
  EXPECT_EQ(parse_duration("10ms"), 10ms);
  EXPECT_EQ(parse_duration("5 s"), 5s);
  EXPECT_EQ(parse_duration("2 min"), 2min);
  EXPECT_EQ(parse_duration("1h"), 1h);
  EXPECT_EQ(parse_duration("1 d"), 24h);
  EXPECT_EQ(parse_duration("7 ns"), 7ns);
  EXPECT_EQ(parse_duration("3us"), 3us);
  EXPECT_EQ(parse_duration("3 seconds"), 3s);
  EXPECT_EQ(parse_duration("1 minute"), 1min);
  EXPECT_EQ(parse_duration("2 Hours"), 2h);
  EXPECT_EQ(parse_duration("2 days"), 48h);
  EXPECT_EQ(parse_duration("10 MS"), 10ms);
  EXPECT_EQ(parse_duration("0s"), 0s);
}

TEST(ParseDuration, BareNumberIsMilliseconds) {
  EXPECT_EQ(parse_duration("250"), 250ms);
  EXPECT_EQ(parse_duration(" 0 "), 0ms);
}

TEST(ParseDuration, Fractions) {
  EXPECT_EQ(parse_duration("1.5s"), 1500ms);
  EXPECT_EQ(parse_duration("0.25 h"), 15min);
  EXPECT_FALSE(parse_duration("0.5ns"));
}

TEST(ParseDuration, RejectsGarbageNegativeAndOverflow) {
  for (const char* bad : {"", "s", "-1s", "-5", "1 parsec", "10 m", "5s5", "1..5s", "ms10", "300000 d",
                          "1e3 s", "9223372036854775808 ns"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
  EXPECT_EQ(parse_duration("9223372036854775807 ns"), std::chrono::nanoseconds::max());
  EXPECT_EQ(parse_duration("106751 d"), std::chrono::hours(106751 * 24));
}

TEST(ParseInt, Values) {
  EXPECT_EQ(parse_int("42"), 42);
  EXPECT_EQ(parse_int("-7"), -7);
  EXPECT_EQ(parse_int("+7"), 7);
  EXPECT_EQ(parse_int(" 3 "), 3);
  EXPECT_EQ(parse_int("9223372036854775807"), INT64_MAX);
  for (const char* bad : {"", "+", "-", "1.0", "1e3", "0x10", "9223372036854775808", "12abc", "+-1"}) {
    EXPECT_FALSE(parse_int(bad)) << bad;
  }
}

TEST(ParseBool, Values) {
  EXPECT_EQ(parse_bool("true"), true);
  EXPECT_EQ(parse_bool("True"), true);
  EXPECT_EQ(parse_bool("yes"), true);
  EXPECT_EQ(parse_bool("on"), true);
  EXPECT_EQ(parse_bool("false"), false);
  EXPECT_EQ(parse_bool("NO"), false);
  EXPECT_EQ(parse_bool("off"), false);
  EXPECT_FALSE(parse_bool("1"));
  EXPECT_FALSE(parse_bool("tru"));
  EXPECT_FALSE(parse_bool(""));
}

TEST(FormatSize, HumanReadable) {
  EXPECT_EQ(format_size(0), "0 B");
  EXPECT_EQ(format_size(1000), "1000 B");
  EXPECT_EQ(format_size(1024), "1 KiB");
  EXPECT_EQ(format_size(1536), "1.5 KiB");
  EXPECT_EQ(format_size(10ULL << 20), "10 MiB");
  EXPECT_EQ(format_size(1ULL << 30), "1 GiB");
  EXPECT_EQ(format_size(UINT64_MAX), "16 EiB");
}

TEST(FormatSize, RoundTripsThroughParse) {
  for (std::uint64_t bytes : {0ULL, 1ULL, 1023ULL, 1024ULL, 1536ULL, 1ULL << 30, 3ULL << 40}) {
    EXPECT_EQ(parse_size(format_size(bytes)), bytes) << bytes;
  }
}

TEST(FormatDuration, HumanReadable) {
  EXPECT_EQ(format_duration(0ns), "0s");
  EXPECT_EQ(format_duration(7ns), "7ns");
  EXPECT_EQ(format_duration(1500ns), "1.5us");
  EXPECT_EQ(format_duration(100ms), "100ms");
  EXPECT_EQ(format_duration(1500ms), "1.5s");
  EXPECT_EQ(format_duration(30s), "30s");
  EXPECT_EQ(format_duration(90s), "1.5min");
  EXPECT_EQ(format_duration(12h), "12h");
  EXPECT_EQ(format_duration(48h), "2d");
  EXPECT_EQ(format_duration(-5s), "-5s");
}

TEST(FormatDuration, RoundTripsThroughParse) {
  for (std::chrono::nanoseconds d : {std::chrono::nanoseconds(0ms), std::chrono::nanoseconds(1500ms),
                                     std::chrono::nanoseconds(2min), std::chrono::nanoseconds(36h)}) {
    EXPECT_EQ(parse_duration(format_duration(d)), d) << d.count();
  }
}

}  // namespace
}  // namespace sluice
