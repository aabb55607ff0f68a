// PutFile's `directory` as an expression: computed per FlowFile, and never outside its fixed start.
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "put_file.hpp"
#include "sluice/testkit.hpp"
#include "temp_dir.hpp"

namespace sluice::standard {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testkit::ProcessorRunner;

TEST(PutFileDirectoryTest, TheDirectoryIsEvaluatedPerFlowFile) {
  sluice::testing::TempDir dir;
  ProcessorRunner runner(put_file_definition());
  runner.set_property("directory", (dir / "out").string() + "/${region}/${kind:toUpper()}");
  runner.enqueue("north", {{"filename", "a.txt"}, {"region", "north"}, {"kind", "m"}});
  runner.enqueue("south", {{"filename", "a.txt"}, {"region", "south"}, {"kind", "m"}});
  runner.run();
  EXPECT_EQ(runner.count("success"), 2U);
  EXPECT_EQ(sluice::testing::read_file(dir / "out/north/M/a.txt"), "north");
  EXPECT_EQ(sluice::testing::read_file(dir / "out/south/M/a.txt"), "south");
}

TEST(PutFileDirectoryTest, AComputedDirectoryThatEscapesItsFixedStartGoesToFailure) {
  sluice::testing::TempDir dir;
  fs::create_directories(dir / "outside");
  fs::create_directories(dir / "out");
  fs::create_symlink(dir / "outside", dir / "out/link");
  ProcessorRunner runner(put_file_definition());
  runner.set_property("directory", (dir / "out").string() + "/${sub}");
  runner.enqueue("1", {{"filename", "x.txt"}, {"sub", "../outside"}});
  runner.enqueue("2", {{"filename", "y.txt"}, {"sub", "ok/../../outside"}});
  runner.enqueue("3", {{"filename", "z.txt"}, {"sub", "link"}});  // a symbolic link leading out
  runner.enqueue("4", {{"filename", "w.txt"}, {"sub", "fine/../inside"}});
  runner.run();
  const auto failed = runner.take("failure");
  ASSERT_EQ(failed.size(), 3U);
  for (const auto& ff : failed) EXPECT_THAT(ff.attribute("putfile.failure.reason"), HasSubstr("is outside"));
  EXPECT_TRUE(fs::is_empty(dir / "outside"));
  EXPECT_EQ(runner.count("success"), 1U);
  EXPECT_EQ(sluice::testing::read_file(dir / "out/inside/w.txt"), "4");
}

TEST(PutFileDirectoryTest, AnExpressionStartingTheDirectoryIsConfinedToTheWorkingDirectory) {
  ProcessorRunner runner(put_file_definition());
  runner.set_property("directory", "${target}").set_property("create_dirs", "false");
  runner.enqueue("x", {{"filename", "passwd"}, {"target", "/etc"}});
  runner.run();
  const auto failed = runner.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("putfile.failure.reason"), HasSubstr("is outside '.'"));
}

}  // namespace
}  // namespace sluice::standard
