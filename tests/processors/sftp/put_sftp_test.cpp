// PutSFTP against a real openssh sshd: uploads, host-key and credential failures, conflicts, unsafe paths,
// a server that is down, and connection reuse.
#include "put_sftp.hpp"

#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "server_fixture.hpp"
#include "sluice/testkit.hpp"
#include "sshd_fixture.hpp"

namespace sluice::sftp {
namespace {

using ::testing::HasSubstr;
using testkit::ProcessorRunner;
namespace fs = std::filesystem;

class PutSftpTest : public sluice::testing::SshdTest {
 protected:
  void configure(ProcessorRunner& runner) const {
    connect(runner);
    runner.set_property("remote_directory", dir().string());
  }
};

TEST_F(PutSftpTest, UploadsABatchIntoPlaceOverOneConnection) {
  ProcessorRunner runner(put_sftp_definition());
  configure(runner);
  runner.set_property("permissions", "0640");
  const int logins_before = accepted_logins();
  for (int i = 0; i < 5; ++i)
    runner.enqueue("reading " + std::to_string(i), {{"filename", "m" + std::to_string(i) + ".csv"}});
  runner.run();
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 5U);
  EXPECT_EQ(out[0].attribute("sftp.remote.path"), (dir() / "m0.csv").string());
  for (int i = 0; i < 5; ++i) {
    const fs::path file = dir() / ("m" + std::to_string(i) + ".csv");
    EXPECT_EQ(read_local(file), "reading " + std::to_string(i));
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777U, 0640U);
  }
  // Nothing half-written left behind: the temporary names were renamed away.
  for (const auto& entry : fs::directory_iterator(dir()))
    EXPECT_NE(entry.path().filename().string().front(), '.');

  // A second trigger reuses the pooled connection: no new login.
  runner.enqueue("later", {{"filename", "later.csv"}});
  runner.run();
  EXPECT_EQ(runner.take("success").size(), 1U);
  EXPECT_EQ(accepted_logins() - logins_before, 1);
}

TEST_F(PutSftpTest, AuthenticatesWithAPasswordAndCreatesNestedDirectories) {
  ProcessorRunner runner(put_sftp_definition());
  runner.set_property("host", "127.0.0.1")
      .set_property("port", std::to_string(sshd().integer("port")))
      .set_property("username", sshd().str("user"))
      .set_property("password", sshd().str("password"))
      .set_property("known_hosts_file", sshd().str("known_hosts_file"))
      .set_property("remote_directory", (dir() / "a" / "b").string());
  runner.enqueue("x", {{"filename", "f.txt"}});
  runner.run();
  ASSERT_EQ(runner.take("success").size(), 1U);
  EXPECT_EQ(read_local(dir() / "a" / "b" / "f.txt"), "x");
}

TEST_F(PutSftpTest, AWrongHostKeyIsAFailureWithAClearReason) {
  ProcessorRunner runner(put_sftp_definition());
  configure(runner);
  runner.set_property("known_hosts_file", sshd().str("wrong_known_hosts_file"));
  runner.enqueue("secret", {{"filename", "x.csv"}});
  runner.run();
  const auto failed = runner.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("sftp.failure.reason"), HasSubstr("host key verification failed"));
  EXPECT_THAT(failed[0].attribute("sftp.failure.reason"), HasSubstr("does not match"));
  EXPECT_FALSE(fs::exists(dir() / "x.csv"));
}

TEST_F(PutSftpTest, AnUnknownHostIsRefusedUnlessStrictCheckingIsOff) {
  const auto empty_known_hosts = dir().parent_path() / "empty_known_hosts";
  std::ofstream(empty_known_hosts).close();
  {
    ProcessorRunner runner(put_sftp_definition());
    configure(runner);
    runner.set_property("known_hosts_file", empty_known_hosts.string());
    runner.enqueue("a", {{"filename", "strict.csv"}});
    runner.run();
    const auto failed = runner.take("failure");
    ASSERT_EQ(failed.size(), 1U);
    EXPECT_THAT(failed[0].attribute("sftp.failure.reason"), HasSubstr("is not in"));
  }
  ProcessorRunner lax(put_sftp_definition());
  configure(lax);
  lax.set_property("known_hosts_file", empty_known_hosts.string())
      .set_property("strict_host_key_checking", "false");
  lax.enqueue("a", {{"filename", "lax.csv"}});
  lax.run();
  EXPECT_EQ(lax.take("success").size(), 1U);
}

TEST_F(PutSftpTest, RefusedCredentialsAreAFailure) {
  ProcessorRunner runner(put_sftp_definition());
  runner.set_property("host", "127.0.0.1")
      .set_property("port", std::to_string(sshd().integer("port")))
      .set_property("username", sshd().str("user"))
      .set_property("password", "not-the-password")
      .set_property("known_hosts_file", sshd().str("known_hosts_file"))
      .set_property("remote_directory", dir().string());
  runner.enqueue("a", {{"filename", "a.csv"}});
  runner.run();
  const auto failed = runner.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("sftp.failure.reason"), HasSubstr("authentication failed"));
  EXPECT_THAT(failed[0].attribute("sftp.failure.reason"), ::testing::Not(HasSubstr("not-the-password")));
}

TEST_F(PutSftpTest, AServerThatIsDownSendsTheBatchToRetry) {
  ProcessorRunner runner(put_sftp_definition());
  configure(runner);
  runner.set_property("port", std::to_string(sluice::testing::unused_port()));
  runner.enqueue("a", {{"filename", "a.csv"}});
  runner.enqueue("b", {{"filename", "b.csv"}});
  runner.run();
  const auto retried = runner.take("retry");
  ASSERT_EQ(retried.size(), 2U);
  EXPECT_THAT(retried[0].attribute("sftp.failure.reason"), HasSubstr("cannot connect"));
  EXPECT_EQ(retried[0].penalty_until_ms, 0);  // the engine's retry policy decides the backoff
}

TEST_F(PutSftpTest, ConflictsFollowTheConfiguredRule) {
  put_local(dir() / "f.csv", "old");
  auto put = [&](const char* conflict) {
    ProcessorRunner runner(put_sftp_definition());
    configure(runner);
    runner.set_property("conflict", conflict);
    runner.enqueue(std::string("new-") + conflict, {{"filename", "f.csv"}});
    runner.run();
    return std::make_pair(runner.take("success"), runner.take("failure"));
  };
  auto [fail_ok, fail_failed] = put("fail");
  EXPECT_TRUE(fail_ok.empty());
  ASSERT_EQ(fail_failed.size(), 1U);
  EXPECT_THAT(fail_failed[0].attribute("sftp.failure.reason"), HasSubstr("already exists"));
  EXPECT_EQ(put("ignore").first.size(), 1U);
  EXPECT_EQ(read_local(dir() / "f.csv"), "old");
  auto renamed = put("rename").first;
  ASSERT_EQ(renamed.size(), 1U);
  EXPECT_EQ(renamed[0].attribute("filename"), "1.f.csv");
  EXPECT_EQ(read_local(dir() / "1.f.csv"), "new-rename");
  EXPECT_EQ(put("replace").first.size(), 1U);
  EXPECT_EQ(read_local(dir() / "f.csv"), "new-replace");
}

TEST_F(PutSftpTest, AttributesCannotPlaceAFileOutsideTheConfiguredTree) {
  ProcessorRunner runner(put_sftp_definition());
  configure(runner);
  runner.enqueue("a", {{"filename", "../escaped.csv"}});
  runner.enqueue("b", {{"filename", ".."}});
  runner.run();
  const auto failed = runner.take("failure");
  ASSERT_EQ(failed.size(), 2U);
  std::vector<std::string> reasons;
  reasons.reserve(failed.size());
  for (const auto& ff : failed) reasons.push_back(ff.attribute("sftp.failure.reason"));
  EXPECT_THAT(reasons,
              ::testing::UnorderedElementsAre(HasSubstr("path separator"), HasSubstr("not a file name")));
  EXPECT_FALSE(fs::exists(dir().parent_path() / "escaped.csv"));

  ProcessorRunner up(put_sftp_definition());
  connect(up);
  up.set_property("remote_directory", (dir() / ".." / "..").string());
  up.enqueue("c", {{"filename", "c.csv"}});
  up.run();
  const auto refused = up.take("failure");
  ASSERT_EQ(refused.size(), 1U);
  EXPECT_THAT(refused[0].attribute("sftp.failure.reason"), HasSubstr("'..'"));
}

}  // namespace
}  // namespace sluice::sftp
