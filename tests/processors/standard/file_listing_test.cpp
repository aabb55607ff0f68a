#include "file_listing.hpp"

#include <algorithm>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::standard {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class FileListingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("sluice-listing-test-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // A file whose modification time is `age` before kNow.
  void file(const std::string& relative, std::chrono::seconds age = 3600s, const std::string& content = "x") {
    const fs::path p = root_ / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << content;
    const auto mtime = std::chrono::file_clock::from_sys(
        std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(kNow)) - age);
    fs::last_write_time(p, mtime);
  }

  std::vector<std::string> names(const ListingOptions& options) {
    std::error_code ec;
    std::vector<std::string> out;
    for (const auto& f : list_files(root_, options, ec)) out.push_back(f.relative_dir + f.filename);
    EXPECT_FALSE(ec) << ec.message();
    return out;
  }

  ListingOptions options() {
    ListingOptions o;
    o.now_ms = kNow;
    o.max_files = 100;
    o.file_filter = &default_filter_;
    return o;
  }

  static constexpr std::int64_t kNow = 1'700'000'000'000;
  fs::path root_;
  std::regex default_filter_{R"([^\.].*)"};
};

TEST_F(FileListingTest, OldestFirstThenByPath) {
  file("b", 10s);
  file("a", 10s);
  file("c", 20s);
  EXPECT_EQ(names(options()), (std::vector<std::string>{"./c", "./a", "./b"}));
}

TEST_F(FileListingTest, TakesAtMostMaxFilesOldestFirst) {
  for (int i = 0; i < 5; ++i) file("f" + std::to_string(i), std::chrono::seconds(100 - i));
  auto o = options();
  o.max_files = 2;
  EXPECT_EQ(names(o), (std::vector<std::string>{"./f0", "./f1"}));
}

TEST_F(FileListingTest, DefaultFilterAndIgnoreHiddenSkipDotFiles) {
  file("visible");
  file(".hidden");
  file(".data.csv.0e6b.partial");
  EXPECT_EQ(names(options()), (std::vector<std::string>{"./visible"}));

  auto o = options();
  o.file_filter = nullptr;
  EXPECT_EQ(names(o), (std::vector<std::string>{"./visible"}));  // ignore_hidden alone
  o.ignore_hidden = false;
  EXPECT_EQ(names(o).size(), 3U);
}

TEST_F(FileListingTest, FilterMustMatchTheWholeName) {
  file("data.csv");
  file("data.csv.bak");
  const std::regex csv(R"(.*\.csv)");
  auto o = options();
  o.file_filter = &csv;
  EXPECT_EQ(names(o), (std::vector<std::string>{"./data.csv"}));
}

TEST_F(FileListingTest, MinAgeLeavesFreshFiles) {
  file("old", 60s);
  file("fresh", 5s);
  auto o = options();
  o.min_age = 30s;
  EXPECT_EQ(names(o), (std::vector<std::string>{"./old"}));
}

TEST_F(FileListingTest, RecursesOnlyWhenAskedAndReportsRelativeDirectories) {
  file("top", 30s);
  file("sub/inner", 20s);
  file("sub/deeper/leaf", 10s);
  file(".git/config", 40s);
  EXPECT_EQ(names(options()), (std::vector<std::string>{"./top"}));

  auto o = options();
  o.recurse = true;
  EXPECT_EQ(names(o), (std::vector<std::string>{"./top", "sub/inner", "sub/deeper/leaf"}));
  o.ignore_hidden = false;
  EXPECT_EQ(names(o).front(), ".git/config");
}

TEST_F(FileListingTest, DoesNotFollowDirectorySymlinks) {
  file("sub/inner");
  fs::create_directory_symlink(root_ / "sub", root_ / "sub" / "loop");
  auto o = options();
  o.recurse = true;
  EXPECT_EQ(names(o), (std::vector<std::string>{"sub/inner"}));
}

TEST_F(FileListingTest, FillsAbsolutePathSizeAndTime) {
  file("a", 10s, "hello");
  std::error_code ec;
  const auto files = list_files(root_, options(), ec);
  ASSERT_EQ(files.size(), 1U);
  EXPECT_EQ(files[0].absolute, root_ / "a");
  EXPECT_EQ(files[0].size, 5U);
  EXPECT_EQ(files[0].modified_ms, kNow - 10'000);
}

TEST_F(FileListingTest, SkipsWhatTheCallerAsks) {
  file("a");
  file("b");
  auto o = options();
  o.skip = [&](const fs::path& p) { return p.filename() == "a"; };
  EXPECT_EQ(names(o), (std::vector<std::string>{"./b"}));
}

TEST_F(FileListingTest, AMissingRootIsAnError) {
  std::error_code ec;
  EXPECT_TRUE(list_files(root_ / "missing", options(), ec).empty());
  EXPECT_TRUE(ec);
}

}  // namespace
}  // namespace sluice::standard
