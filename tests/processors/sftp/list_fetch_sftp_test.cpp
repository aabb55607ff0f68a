// ListSFTP and FetchSFTP against a real openssh sshd: equal modification times, a durable listing position
// across a restart, min_age, and fetch completion.
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fetch_sftp.hpp"
#include "list_sftp.hpp"
#include "sluice/testkit.hpp"
#include "sshd_fixture.hpp"

namespace sluice::sftp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testkit::OutputFlowFile;
using testkit::ProcessorRunner;
namespace fs = std::filesystem;

std::vector<std::string> names(const std::vector<OutputFlowFile>& out) {
  std::vector<std::string> n;
  n.reserve(out.size());
  for (const auto& f : out) n.push_back(f.attribute("filename"));
  return n;
}

class ListSftpTest : public sluice::testing::SshdTest {
 protected:
  void configure(ProcessorRunner& runner) const {
    connect(runner);
    runner.set_property("remote_directory", dir().string());
  }
  // A file on the server with an exact modification time (seconds since the epoch).
  void remote_file(const std::string& name, const std::string& content, std::int64_t mtime_s) const {
    put_local(dir() / name, content);
    const auto t =
        fs::file_time_type::clock::from_sys(std::chrono::sys_seconds(std::chrono::seconds(mtime_s)));
    fs::last_write_time(dir() / name, t);
  }
  // The test kit's clock starts at 1700000000 s; files are older than that.
  static constexpr std::int64_t kT = 1'699'999'000;
};

TEST_F(ListSftpTest, FilesSharingATimestampAreNeitherMissedNorRepeated) {
  remote_file("a.csv", "1", kT);
  remote_file("b.csv", "2", kT + 5);
  remote_file("c.csv", "3", kT + 5);
  remote_file(".hidden", "x", kT);
  ProcessorRunner runner(list_sftp_definition());
  configure(runner);
  runner.set_batch(2);  // stops between b and c, which share a timestamp
  runner.run();
  const auto first = runner.take("success");
  EXPECT_THAT(names(first), ElementsAre("a.csv", "b.csv"));
  EXPECT_EQ(first[0].attribute("path"), dir().string());
  EXPECT_EQ(first[0].attribute("file.size"), "1");
  EXPECT_EQ(first[0].attribute("file.lastModifiedTime"), "2023-11-14T21:56:40Z");
  EXPECT_EQ(first[0].content, "");
  runner.run();
  EXPECT_THAT(names(runner.take("success")), ElementsAre("c.csv"));
  runner.run();
  EXPECT_TRUE(runner.take("success").empty());
  EXPECT_TRUE(runner.yielded());

  // Written later, in the same second as the newest listed: still new.
  remote_file("d.csv", "4", kT + 5);
  remote_file("e.csv", "5", kT + 9);
  runner.advance(std::chrono::seconds(2));
  runner.run();
  EXPECT_THAT(names(runner.take("success")), ElementsAre("d.csv", "e.csv"));
  EXPECT_EQ(runner.state("listing.timestamp"), std::to_string((kT + 9) * 1000));
}

TEST_F(ListSftpTest, ARestartDoesNotListAgain) {
  const sluice::testing::ScratchDir data;
  remote_file("a.csv", "1", kT);
  remote_file("b.csv", "2", kT);
  {
    ProcessorRunner runner(list_sftp_definition());
    configure(runner);
    runner.use_data_dir(data.path());
    runner.run();
    EXPECT_EQ(runner.take("success").size(), 2U);
  }
  remote_file("c.csv", "3", kT);
  ProcessorRunner restarted(list_sftp_definition());
  configure(restarted);
  restarted.use_data_dir(data.path());
  restarted.run();
  EXPECT_THAT(names(restarted.take("success")), ElementsAre("c.csv"));
}

TEST_F(ListSftpTest, RecursesAndLeavesYoungFilesForLater) {
  fs::create_directories(dir() / "sub");
  own(dir() / "sub");
  remote_file("sub/deep.csv", "d", kT);
  ProcessorRunner runner(list_sftp_definition());
  configure(runner);
  runner.set_property("recurse", "true").set_property("min_age", "10 s");
  const std::int64_t now_s = runner.now_ms() / 1000;
  remote_file("young.csv", "y", now_s - 3);
  runner.run();
  const auto first = runner.take("success");
  ASSERT_THAT(names(first), ElementsAre("deep.csv"));
  EXPECT_EQ(first[0].attribute("path"), (dir() / "sub").string());
  runner.advance(std::chrono::seconds(10));
  runner.run();
  EXPECT_THAT(names(runner.take("success")), ElementsAre("young.csv"));
}

class FetchSftpTest : public sluice::testing::SshdTest {
 protected:
  void configure(ProcessorRunner& runner) const { connect(runner); }
  std::map<std::string, std::string> listed(const std::string& name) const {
    return {{"path", dir().string()}, {"filename", name}};
  }
};

TEST_F(FetchSftpTest, FetchesContentAndDeletesTheRemoteFileOnlyAfterCommit) {
  put_local(dir() / "m.csv", "M0001,12.5\n");
  ProcessorRunner runner(fetch_sftp_definition());
  configure(runner);
  runner.set_property("completion", "delete");
  runner.enqueue("", listed("m.csv"));
  runner.run();
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content, "M0001,12.5\n");
  EXPECT_FALSE(fs::exists(dir() / "m.csv"));
}

TEST_F(FetchSftpTest, MovesTheRemoteFileWhenAsked) {
  put_local(dir() / "m.csv", "data");
  ProcessorRunner runner(fetch_sftp_definition());
  configure(runner);
  runner.set_property("completion", "move").set_property("move_destination", (dir() / "done").string());
  runner.enqueue("", listed("m.csv"));
  runner.run();
  ASSERT_EQ(runner.take("success").size(), 1U);
  EXPECT_FALSE(fs::exists(dir() / "m.csv"));
  EXPECT_EQ(read_local(dir() / "done" / "m.csv"), "data");
}

TEST_F(FetchSftpTest, RoutesMissingAndUnreadableFilesAndADownServer) {
  put_local(dir() / "locked.csv", "secret");
  fs::permissions(dir() / "locked.csv", fs::perms::none);
  ProcessorRunner runner(fetch_sftp_definition());
  configure(runner);
  runner.enqueue("", listed("gone.csv"));
  runner.enqueue("", listed("locked.csv"));
  runner.enqueue("", {{"path", dir().string() + "/../.."}, {"filename", "x"}});
  runner.run();
  const auto missing = runner.take("not_found");
  ASSERT_EQ(missing.size(), 1U);
  EXPECT_THAT(missing[0].attribute("sftp.failure.reason"), HasSubstr("no such file"));
  EXPECT_EQ(runner.take("permission_denied").size(), 1U);
  EXPECT_EQ(runner.take("failure").size(), 1U);

  ProcessorRunner down(fetch_sftp_definition());
  configure(down);
  down.set_property("port", std::to_string(sluice::testing::unused_port()));
  down.enqueue("", listed("m.csv"));
  down.run();
  EXPECT_EQ(down.take("retry").size(), 1U);
}

}  // namespace
}  // namespace sluice::sftp
