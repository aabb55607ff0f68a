#include "detect_duplicate.hpp"

#include <chrono>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/testkit.hpp"
#include "temp_dir.hpp"

namespace sluice::standard {
namespace {

using namespace std::chrono_literals;
using testkit::ProcessorRunner;

TEST(DetectDuplicateTest, ASecondFlowFileWithTheSameKeyIsADuplicateWithTheFirstsDescription) {
  ProcessorRunner runner(detect_duplicate_definition());
  runner.set_property("cache_entry_identifier", "${meter}/${at}")
      .set_property("flowfile_description", "${filename}");
  runner.enqueue("1", {{"meter", "M1"}, {"at", "10"}, {"filename", "first.csv"}});
  runner.enqueue("2", {{"meter", "M1"}, {"at", "11"}, {"filename", "other.csv"}});
  runner.enqueue("3", {{"meter", "M1"}, {"at", "10"}, {"filename", "again.csv"}});  // same batch as the first
  runner.run();
  const auto unique = runner.take("non_duplicate");
  const auto dupes = runner.take("duplicate");
  ASSERT_EQ(unique.size(), 2U);
  ASSERT_EQ(dupes.size(), 1U);
  EXPECT_EQ(dupes[0].content, "3");
  EXPECT_EQ(dupes[0].attribute("original.flowfile.description"), "first.csv");
}

TEST(DetectDuplicateTest, KeysAgeOffWithTheInjectedClock) {
  ProcessorRunner runner(detect_duplicate_definition());
  runner.set_property("cache_entry_identifier", "${k}").set_property("age_off", "10 s");
  runner.enqueue("a", {{"k", "x"}});
  runner.run();
  runner.advance(9s);
  runner.enqueue("b", {{"k", "x"}});
  runner.run();
  EXPECT_EQ(runner.count("duplicate"), 1U);
  runner.advance(2s);  // 11 s after the first: aged off
  runner.enqueue("c", {{"k", "x"}});
  runner.run();
  EXPECT_EQ(runner.count("non_duplicate"), 2U);
  // The sweep forgets expired keys from the durable state.
  runner.advance(60s);
  runner.enqueue("d", {{"k", "y"}});
  runner.run();
  EXPECT_FALSE(runner.state("seen:x").has_value());
  EXPECT_TRUE(runner.state("seen:y").has_value());
}

TEST(DetectDuplicateTest, TheCacheSurvivesARestart) {
  sluice::testing::TempDir dir;
  {
    ProcessorRunner runner(detect_duplicate_definition());
    runner.use_data_dir(dir.path()).set_property("cache_entry_identifier", "${k}");
    runner.enqueue("a", {{"k", "x"}});
    runner.run();
    EXPECT_EQ(runner.count("non_duplicate"), 1U);
  }
  ProcessorRunner again(detect_duplicate_definition());
  again.use_data_dir(dir.path()).set_property("cache_entry_identifier", "${k}");
  again.enqueue("b", {{"k", "x"}});
  again.run();
  EXPECT_EQ(again.count("duplicate"), 1U);
}

TEST(DetectDuplicateTest, AnEmptyKeyGoesToFailureAndBadValuesAreReported) {
  ProcessorRunner runner(detect_duplicate_definition());
  runner.set_property("cache_entry_identifier", "${missing}");
  runner.enqueue("a");
  runner.run();
  const auto failed = runner.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("detectduplicate.failure.reason"), ::testing::HasSubstr("empty key"));

  ProcessorRunner bad(detect_duplicate_definition());
  bad.set_property("age_off", "forever");
  ASSERT_EQ(bad.validate().size(), 1U);
  EXPECT_THAT(bad.validate()[0], ::testing::HasSubstr("is not a duration"));
}

}  // namespace
}  // namespace sluice::standard
