#include "path_safety.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::standard {
namespace {

using ::testing::HasSubstr;

TEST(UnsafeFilenameReason, AcceptsPlainNames) {
  for (const char* name :
       {"a", "data.csv", ".hidden", "..dots", "name with spaces", "a\\b", "ü.txt", "a..b"}) {
    EXPECT_EQ(unsafe_filename_reason(name), std::nullopt) << name;
  }
  EXPECT_EQ(unsafe_filename_reason(std::string(255, 'x')), std::nullopt);
}

TEST(UnsafeFilenameReason, RejectsEverythingThatCouldLeaveTheDirectory) {
  EXPECT_THAT(unsafe_filename_reason("").value_or(""), HasSubstr("empty"));
  EXPECT_THAT(unsafe_filename_reason(".").value_or(""), HasSubstr("not a file name"));
  EXPECT_THAT(unsafe_filename_reason("..").value_or(""), HasSubstr("not a file name"));
  EXPECT_THAT(unsafe_filename_reason("/etc/passwd").value_or(""), HasSubstr("absolute path"));
  EXPECT_THAT(unsafe_filename_reason("../x").value_or(""), HasSubstr("path separator"));
  EXPECT_THAT(unsafe_filename_reason("a/../../x").value_or(""), HasSubstr("path separator"));
  EXPECT_THAT(unsafe_filename_reason("dir/").value_or(""), HasSubstr("path separator"));
  EXPECT_THAT(unsafe_filename_reason(std::string("a\0b", 3)).value_or(""), HasSubstr("NUL"));
  EXPECT_THAT(unsafe_filename_reason(std::string(256, 'x')).value_or(""), HasSubstr("longer than 255"));
}

TEST(UnsafeFilenameReason, QuotesTheNameButNotAllOfALongOne) {
  EXPECT_THAT(unsafe_filename_reason("../x").value_or(""), HasSubstr("'../x'"));
  const auto reason = unsafe_filename_reason(std::string(1000, 'x') + "/").value_or("");
  EXPECT_LT(reason.size(), 200U);
  EXPECT_THAT(reason, HasSubstr("...'"));
}

TEST(TempFilename, IsHiddenUniqueAndSafe) {
  const std::string uuid = "0e6b1c9e-5d1e-4f6b-9a4c-2b7f1f0c8d11";
  const std::string temp = temp_filename("data.csv", uuid);
  EXPECT_EQ(temp, ".data.csv." + uuid + ".partial");
  EXPECT_NE(temp_filename("data.csv", "other"), temp);

  const std::string long_temp = temp_filename(std::string(255, 'x'), uuid);
  EXPECT_EQ(long_temp.front(), '.');
  EXPECT_EQ(unsafe_filename_reason(long_temp), std::nullopt);
}

TEST(ParsePermissions, AcceptsOctalModes) {
  EXPECT_EQ(parse_permissions("0644"), std::filesystem::perms(0644));
  EXPECT_EQ(parse_permissions("644"), std::filesystem::perms(0644));
  EXPECT_EQ(parse_permissions("2775"), std::filesystem::perms(02775));
  EXPECT_EQ(parse_permissions("0"), std::filesystem::perms::none);
}

TEST(ParsePermissions, RejectsEverythingElse) {
  for (const char* text : {"", "0648", "rw-r--r--", "12345", "-644", "0x1a4", " 644"}) {
    EXPECT_EQ(parse_permissions(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace sluice::standard

namespace sluice::standard {
namespace {

TEST(PathSafetyTest, TheStaticRootOfADirectoryExpression) {
  EXPECT_EQ(static_root("/data/out/${region}"), "/data/out/");
  EXPECT_EQ(static_root("/data/out-${region}/x"), "/data/");
  EXPECT_EQ(static_root("out/${a}/${b}"), "out/");
  EXPECT_EQ(static_root("${a}/x"), "");
  EXPECT_EQ(static_root("/data/plain"), "/data/plain");
  EXPECT_EQ(static_root("/data/$${literal}/${x}"), "/data/$${literal}/");  // `$${` is not an expression
}

TEST(PathSafetyTest, DirectoriesOutsideTheirRootAreNamed) {
  EXPECT_FALSE(directory_escape_reason("/data/out/", "/data/out/a/b", false));
  EXPECT_FALSE(directory_escape_reason("/data/out/", "/data/out", false));
  EXPECT_FALSE(directory_escape_reason("/data/out/", "/data/out/a/../b", false));
  EXPECT_TRUE(directory_escape_reason("/data/out/", "/data/out/../x", false));
  EXPECT_TRUE(directory_escape_reason("/data/out/", "/data/outer", false));
  EXPECT_TRUE(directory_escape_reason("/data/out/", "/etc", false));
  EXPECT_FALSE(directory_escape_reason("", "relative/dir", false));
  EXPECT_TRUE(directory_escape_reason("", "/etc", false));
  EXPECT_TRUE(directory_escape_reason("", "..", false));
}

}  // namespace
}  // namespace sluice::standard
