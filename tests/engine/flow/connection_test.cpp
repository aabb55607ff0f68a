#include "flow/connection.hpp"

#include <filesystem>

#include <gtest/gtest.h>

namespace sluice::internal {
namespace {

FlowFileRecord record(std::uint64_t id, std::uint64_t size = 0) {
  FlowFileRecord r;
  r.id = id;
  r.entry_ms = static_cast<std::int64_t>(1000 + id);
  if (size > 0) {
    r.content.length = size;  // a length without a resource is enough for accounting
  }
  return r;
}

std::vector<std::uint64_t> drain(Connection& c, std::int64_t now = 0, std::size_t max = 1'000'000) {
  std::vector<FlowFileRecord> out;
  std::vector<FlowFileRecord> expired;
  c.poll(max, now, out, expired);
  std::vector<std::uint64_t> ids;
  for (const auto& r : out) ids.push_back(r.id);
  return ids;
}

TEST(Connection, FifoKeepsArrivalOrder) {
  Connection c({.key = "a:success:b"});
  for (std::uint64_t id : {5, 3, 9, 1}) c.enqueue(record(id));
  EXPECT_EQ(drain(c), (std::vector<std::uint64_t>{5, 3, 9, 1}));
  EXPECT_EQ(c.count(), 0u);
}

TEST(Connection, BackPressureOnObjectsAndBytes) {
  Connection by_count({.key = "k", .max_objects = 3});
  by_count.enqueue(record(1));
  by_count.enqueue(record(2));
  EXPECT_FALSE(by_count.full());
  by_count.enqueue(record(3));
  EXPECT_TRUE(by_count.full());
  drain(by_count, 0, 1);
  EXPECT_FALSE(by_count.full());

  Connection by_size({.key = "k", .max_bytes = 100});
  by_size.enqueue(record(1, 60));
  EXPECT_FALSE(by_size.full());
  by_size.enqueue(record(2, 60));
  EXPECT_TRUE(by_size.full());
  EXPECT_EQ(by_size.bytes(), 120u);
}

TEST(Connection, PenalizedStaysInvisibleUntilItsPenaltyEnds) {
  Connection c({.key = "k"});
  FlowFileRecord penalized = record(1);
  penalized.penalty_until_ms = 5'000;
  c.enqueue(std::move(penalized));
  c.enqueue(record(2));
  EXPECT_EQ(drain(c, 4'999), (std::vector<std::uint64_t>{2}));
  EXPECT_FALSE(c.has_visible(4'999));
  EXPECT_EQ(c.next_penalty_expiry(), 5'000);
  EXPECT_TRUE(c.has_visible(5'000));
  EXPECT_EQ(drain(c, 5'000), (std::vector<std::uint64_t>{1}));
}

TEST(Connection, RequeueRestoresTheHeadInOrder) {
  Connection c({.key = "k"});
  for (std::uint64_t id = 1; id <= 5; ++id) c.enqueue(record(id));
  std::vector<FlowFileRecord> taken;
  std::vector<FlowFileRecord> expired;
  c.poll(3, 0, taken, expired);
  c.requeue(std::move(taken));
  EXPECT_EQ(drain(c), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
}

TEST(Connection, PrioritizersOrderAsDocumented) {
  Connection oldest({.key = "k", .prioritizer = Prioritizer::kOldestFirst});
  Connection newest({.key = "k", .prioritizer = Prioritizer::kNewestFirst});
  for (std::uint64_t id : {3, 1, 2}) {
    oldest.enqueue(record(id));
    newest.enqueue(record(id));
  }
  EXPECT_EQ(drain(oldest), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(drain(newest), (std::vector<std::uint64_t>{3, 2, 1}));

  Connection by_attribute(
      {.key = "k", .prioritizer = Prioritizer::kPriorityAttribute, .priority_attribute = "p"});
  const std::pair<std::uint64_t, const char*> items[] = {{1, "10"}, {2, "9"}, {3, nullptr}, {4, "1"}};
  for (auto [id, p] : items) {
    FlowFileRecord r = record(id);
    if (p != nullptr) r.attributes.put("p", p);
    by_attribute.enqueue(std::move(r));
  }
  // Numbers compare as numbers (9 before 10); a FlowFile without the attribute goes last.
  EXPECT_EQ(drain(by_attribute), (std::vector<std::uint64_t>{4, 2, 1, 3}));
}

TEST(Connection, ExpiredFlowFilesAreHandedBackSeparately) {
  Connection c({.key = "k", .expiration = std::chrono::milliseconds(100)});
  c.enqueue(record(1));    // entry 1001
  c.enqueue(record(500));  // entry 1500
  std::vector<FlowFileRecord> out;
  std::vector<FlowFileRecord> expired;
  c.poll(10, 1'200, out, expired);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].id, 1u);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].id, 500u);
}

TEST(Connection, SwapsBeyondThresholdAndKeepsOrder) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "sluice-swap-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  Connection c({.key = "k", .max_objects = 1'000'000, .swap_threshold = 20'000, .swap_directory = dir});
  constexpr std::uint64_t kCount = 65'000;
  for (std::uint64_t id = 1; id <= kCount; ++id) {
    FlowFileRecord r = record(id);
    r.attributes.put("n", std::to_string(id));
    c.enqueue(std::move(r));
  }
  EXPECT_EQ(c.count(), kCount);
  EXPECT_GE(c.swapped_count(), kCount - 20'000);
  std::size_t swap_files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++swap_files;
  EXPECT_GE(swap_files, 4u);

  std::vector<FlowFileRecord> out;
  std::vector<FlowFileRecord> expired;
  std::uint64_t expected = 1;
  while (c.poll(7'000, 0, out, expired) > 0) {
    for (const auto& r : out) {
      ASSERT_EQ(r.id, expected);
      ASSERT_EQ(r.attributes.find("n").value_or(""), std::to_string(expected));
      ++expected;
    }
    out.clear();
  }
  EXPECT_EQ(expected, kCount + 1);
  EXPECT_TRUE(std::filesystem::is_empty(dir));  // swapped-in files are deleted
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sluice::internal
