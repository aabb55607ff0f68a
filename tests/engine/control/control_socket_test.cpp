#include "control/control_socket.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "../repository/repository_test_support.hpp"

namespace sluice::internal::control {
namespace {

namespace fs = std::filesystem;
using testing_support::TempDir;

TEST(ControlSocketTest, AnswersARequestLineAndRemovesItsSocketWhenStopped) {
  const TempDir tmp;
  const fs::path& dir = tmp.path();
  auto server = std::make_unique<ControlServer>(dir, [](std::string_view request) {
    std::string answer = "ok got ";
    answer.append(request);
    return answer;
  });
  EXPECT_EQ(send_control_request(dir, "replay 42"), std::optional<std::string>("ok got replay 42"));
  server.reset();
  EXPECT_FALSE(fs::exists(socket_path(dir)));
  EXPECT_EQ(send_control_request(dir, "replay 42"), std::nullopt);  // nobody listens any more
}

// Stopping wakes the server's accept loop instead of waiting out a poll period: `sluice run --until-idle`
// stops it on the way out, and every run used to pay up to 200 ms for it. Right after an answer the
// server is back in its wait, where a timed poll would have held the stop for almost the whole period.
TEST(ControlSocketTest, StopsAtOnceWhileWaitingForAClient) {
  const TempDir tmp;
  const fs::path& dir = tmp.path();
  auto server = std::make_unique<ControlServer>(dir, [](std::string_view) { return std::string("ok"); });
  ASSERT_EQ(send_control_request(dir, "ping"), std::optional<std::string>("ok"));
  const auto start = std::chrono::steady_clock::now();
  server.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
}

}  // namespace
}  // namespace sluice::internal::control
