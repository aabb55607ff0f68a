#include <gtest/gtest.h>

#include "config/settings.hpp"

namespace sluice::internal {
namespace {

using namespace std::chrono_literals;

TEST(SettingOverride, SetsValues) {
  SettingsModel settings;
  EXPECT_TRUE(apply_setting_override(settings, "durability", "batch").empty());
  EXPECT_EQ(settings.durability, DurabilityMode::kBatch);
  EXPECT_TRUE(apply_setting_override(settings, "threads=4").empty());
  EXPECT_EQ(settings.threads, 4u);
  EXPECT_TRUE(apply_setting_override(settings, "batch_interval=250ms").empty());
  EXPECT_EQ(settings.batch_interval, 250ms);
  EXPECT_TRUE(apply_setting_override(settings, "repositories=memory").empty());
  EXPECT_TRUE(settings.memory_repositories);
  EXPECT_TRUE(apply_setting_override(settings, "content_archive", "0").empty());
  EXPECT_EQ(settings.content_archive_bytes, 0u);
  EXPECT_TRUE(apply_setting_override(settings, "content_archive_age", "2 d").empty());
  EXPECT_EQ(settings.content_archive_age, 48h);
  EXPECT_TRUE(apply_setting_override(settings, "checkpoint_log", "16 MiB").empty());
  EXPECT_EQ(settings.checkpoint_log_bytes, 16ULL << 20);
}

TEST(SettingOverride, ReportsBadKeysAndValuesAndLeavesSettingsUnchanged) {
  SettingsModel settings;
  auto d = apply_setting_override(settings, "durabilty", "batch");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].str(), "command line: unknown setting 'durabilty' (did you mean 'durability'?)");
  d = apply_setting_override(settings, "durability=fsynk");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].str(),
            "command line: setting 'durability': 'fsynk' is not one of fsync, batch, none (did you mean "
            "'fsync'?)");
  EXPECT_EQ(settings.durability, DurabilityMode::kFsync);
  d = apply_setting_override(settings, "threads");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].str(),
            "command line: setting override 'threads' is not of the form key=value (e.g. "
            "durability=batch)");
  d = apply_setting_override(settings, "threads=lots");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(
      d[0].message,
      "setting 'threads': 'lots' is not an integer (expected an integer from 0 to 4096; 0 = one per core)");
  EXPECT_EQ(settings.threads, 0u);
}

}  // namespace
}  // namespace sluice::internal
