// One sshd (tests/integration/servers.py) shared by the tests of a suite, and helpers to place files in
// its tree as its test user, who owns that tree.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <pwd.h>
#include <sstream>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

#include "server_fixture.hpp"
#include "sluice/testkit.hpp"

namespace sluice::testing {

class SshdTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    shared_sshd = std::make_unique<ServerFixture>(std::vector<std::string>{"sshd"});
  }
  static void TearDownTestSuite() { shared_sshd.reset(); }

 protected:
  void SetUp() override {
    // A fresh directory per test inside the server's tree.
    dir_ = std::filesystem::path(shared_sshd->str("root")) /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::create_directories(dir_);
    own(dir_);
  }

  static const ServerFixture& sshd() { return *shared_sshd; }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

  // The connection properties every SFTP processor needs, authenticated by key.
  static void connect(testkit::ProcessorRunner& runner) {
    runner.set_property("host", "127.0.0.1")
        .set_property("port", std::to_string(shared_sshd->integer("port")))
        .set_property("username", shared_sshd->str("user"))
        .set_property("private_key_file", shared_sshd->str("private_key_file"))
        .set_property("known_hosts_file", shared_sshd->str("known_hosts_file"));
  }

  static void own(const std::filesystem::path& p) {
    const passwd* user = ::getpwnam(shared_sshd->str("user").c_str());
    ASSERT_NE(user, nullptr);
    ASSERT_EQ(::chown(p.c_str(), user->pw_uid, user->pw_gid), 0);
  }

  static void put_local(const std::filesystem::path& p, const std::string& content) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    own(p);
  }

  static std::string read_local(const std::filesystem::path& p) {
    std::ostringstream s;
    s << std::ifstream(p, std::ios::binary).rdbuf();
    return s.str();
  }

  // How many logins the server accepted so far (connection reuse shows as few).
  static int accepted_logins() {
    std::ifstream log(shared_sshd->str("log"));
    int n = 0;
    for (std::string line; std::getline(log, line);) {
      if (line.find("Accepted ") != std::string::npos) ++n;
    }
    return n;
  }

 private:
  static inline std::unique_ptr<ServerFixture> shared_sshd;
  std::filesystem::path dir_;
};

}  // namespace sluice::testing
