// One rabbitmq-server (tests/integration/servers.py, with a TLS listener) shared by the tests of the binary,
// and the independent clients the tests check against: amqp-tools (amqp-publish) and pika
// (tests/integration/amqp_client.py).
#pragma once

#include <array>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server_fixture.hpp"
#include "sluice/testkit.hpp"

namespace sluice::testing {

class RabbitMqTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() { use_broker({"rabbitmq", "--tls"}); }

 protected:
  // A fresh durable queue per test, named after it.
  void SetUp() override {
    queue_ = std::string("q.") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    client("declare " + queue_);
  }

  // For suites that need another broker configuration (plugins): call from their own SetUpTestSuite.
  static void use_broker(const std::vector<std::string>& args) { shared_broker = &shared_server(args); }
  static const ServerFixture& broker() { return *shared_broker; }
  [[nodiscard]] const std::string& queue() const { return queue_; }

  static void connect(testkit::ProcessorRunner& runner) {
    runner.set_property("host", "127.0.0.1")
        .set_property("port", std::to_string(shared_broker->integer("port")))
        .set_property("username", shared_broker->str("user"))
        .set_property("password", shared_broker->str("password"));
  }

  // Runs a shell command; returns its standard output (the test fails when it exits non-zero).
  static std::string shell(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");  // NOLINT(cert-env33-c): test commands built from fixtures
    if (pipe == nullptr) {
      ADD_FAILURE() << "cannot run " << command;
      return out;
    }
    std::array<char, 4096> buffer{};
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    EXPECT_EQ(status, 0) << command;
    return out;
  }

  // The pika client (an independent AMQP implementation).
  static std::string client(const std::string& arguments) {
    const std::string script =
        std::filesystem::path(SLUICE_TEST_SERVERS_SCRIPT).parent_path() / "amqp_client.py";
    return shell("python3 " + script + " --port " + std::to_string(shared_broker->integer("port")) + " " +
                 arguments);
  }

  // Every message left in `queue`, read and acknowledged by the pika client.
  static std::vector<nlohmann::json> read_all(const std::string& queue, int idle_ms = 500) {
    std::vector<nlohmann::json> messages;
    std::istringstream lines(client("get " + queue + " --idle-ms " + std::to_string(idle_ms)));
    for (std::string line; std::getline(lines, line);) messages.push_back(nlohmann::json::parse(line));
    return messages;
  }

  static std::string body(const nlohmann::json& message);

 private:
  static inline const ServerFixture* shared_broker = nullptr;
  std::string queue_;
};

inline std::string RabbitMqTest::body(const nlohmann::json& message) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string encoded = message.at("body").get<std::string>();
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : encoded) {
    const std::size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos) break;  // '=' padding
    buffer = (buffer << 6U) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> static_cast<unsigned>(bits)) & 0xFFU));
    }
  }
  return out;
}

}  // namespace sluice::testing
