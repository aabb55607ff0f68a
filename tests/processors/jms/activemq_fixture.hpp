// One ActiveMQ (tests/integration/servers.py) shared by the tests of the binary, and the independent JMS
// client the tests check against (tests/integration/JmsClient.java, ActiveMQ's own JMS client over OpenWire).
#pragma once

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server_fixture.hpp"
#include "sluice/testkit.hpp"

namespace sluice::testing {

class ActiveMqTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() { shared_broker = &shared_server({"activemq"}); }

 protected:
  static const ServerFixture& broker() { return *shared_broker; }
  // A destination name of its own per test.
  static std::string name() { return ::testing::UnitTest::GetInstance()->current_test_info()->name(); }

  static void connect(testkit::ProcessorRunner& runner) {
    runner.set_property("host", "127.0.0.1")
        .set_property("port", std::to_string(shared_broker->integer("stomp_port")));
  }

  // Runs the Java JMS client with `arguments` after its command and the broker URL; returns its output.
  static std::string java(const std::string& command, const std::string& arguments) {
    const std::string source =
        std::filesystem::path(SLUICE_TEST_SERVERS_SCRIPT).parent_path() / "JmsClient.java";
    const std::string line = "java -cp '" + shared_broker->str("classpath") + "' " + source + " " + command +
                             " " + shared_broker->str("broker_url") + " " + arguments + " 2>/dev/null";
    std::string out;
    FILE* pipe = ::popen(line.c_str(), "r");  // NOLINT(cert-env33-c): test commands built from fixtures
    if (pipe == nullptr) {
      ADD_FAILURE() << "cannot run " << line;
      return out;
    }
    std::array<char, 4096> buffer{};
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    EXPECT_EQ(::pclose(pipe), 0) << line;
    return out;
  }

  static std::vector<nlohmann::json> receive(const std::string& destination, const std::string& extra = {}) {
    std::vector<nlohmann::json> messages;
    std::istringstream lines(java("receive", destination + " 0 2000 " + extra));
    for (std::string l; std::getline(lines, l);) messages.push_back(nlohmann::json::parse(l));
    return messages;
  }

 private:
  static inline const ServerFixture* shared_broker = nullptr;
};

}  // namespace sluice::testing
