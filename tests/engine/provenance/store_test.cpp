// The provenance store on disk: partitions written, indexed, closed, reopened after a crash, dropped by age
// and size; damaged partitions skipped with a warning while the rest stays readable.
#include <fstream>

#include <gtest/gtest.h>

#include "provenance/event_cursor.hpp"
#include "provenance/store_reader.hpp"
#include "provenance/store_writer.hpp"
#include "store_test_support.hpp"
#include "util/fs_sync.hpp"

namespace sluice::internal::provenance {
namespace {

using namespace testing_support;  // NOLINT(google-build-using-namespace): test helpers
namespace fs = std::filesystem;

constexpr std::int64_t kT0 = 1'700'000'000'000;

std::string raw(const Uuid& u) {
  return {reinterpret_cast<const char*>(u.data()), u.size()};
}

std::vector<std::uint64_t> ids(const StoreReader& store, ScanFilter f) {
  std::vector<std::uint64_t> out;
  EventCursor c(store, std::move(f));
  while (c.next()) out.push_back(c.event().id);
  return out;
}

std::vector<std::uint64_t> lookup_ids(const StoreReader& store, std::uint64_t key) {
  ScanFilter f;
  f.key = key;
  return ids(store, f);
}

std::vector<fs::path> partitions(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (parse_partition_name(e.path().filename().string())) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void flip_byte(const fs::path& file, std::uint64_t at) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(at));
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x5A);
  f.seekp(static_cast<std::streamoff>(at));
  f.write(&c, 1);
}

class StoreTest : public ::testing::Test {
 protected:
  // Appends `n` single-event sections (CREATE at "gen") with ids from `first`, one ms apart from `t`.
  std::vector<Uuid> fill(StoreWriter& w, std::uint64_t first, int n, std::int64_t t = kT0) {
    std::vector<Uuid> uuids;
    for (int i = 0; i < n; ++i) {
      TestEvent e;
      e.uuid = random_uuid();
      e.time_ms = t + i;
      e.attributes = {{"filename", "file-" + std::to_string(first + static_cast<std::uint64_t>(i))}};
      uuids.push_back(e.uuid);
      w.append(first + static_cast<std::uint64_t>(i), 1, section("gen", {e}), t + i);
    }
    return uuids;
  }

  TempDir dir_;
  fs::path store_ = dir_.path() / "provenance";
};

TEST_F(StoreTest, EventsAreFoundByUuidAttributeAndUriWhileOpenAndAfterClose) {
  const Uuid parent = random_uuid();
  const Uuid child = random_uuid();
  {
    StoreWriter w(store_settings(store_), kT0);
    fill(w, 1, 10);
    TestEvent fork;
    fork.type = EventType::kFork;
    fork.uuid = parent;
    fork.parents = {parent};
    fork.children = {child};
    TestEvent send;
    send.type = EventType::kSend;
    send.uuid = child;
    send.transit_uri = "sftp://host/out/x.csv";
    send.attributes = {{"filename", "x.csv"}};
    w.append(11, 2, section("split", {fork, send}), kT0 + 100);
    w.flush();
    EXPECT_EQ(w.last_id(), 12u);
    EXPECT_EQ(w.durable_through(), 12u);

    const StoreReader open(store_);
    ASSERT_EQ(open.partitions().size(), 1u);
    EXPECT_FALSE(open.partitions()[0]->closed());
    EXPECT_EQ(open.partitions()[0]->covered_through(), 12u);  // the flush's run: nothing left to scan
    EXPECT_EQ(lookup_ids(open, uuid_key(raw(child))),
              (std::vector<std::uint64_t>{11, 12}));  // as child, as itself
    EXPECT_EQ(lookup_ids(open, uuid_key(raw(parent))), std::vector<std::uint64_t>{11});
    EXPECT_EQ(lookup_ids(open, attribute_key("filename", "file-3")), std::vector<std::uint64_t>{3});
    EXPECT_EQ(lookup_ids(open, uri_key("sftp://host/out/x.csv")), std::vector<std::uint64_t>{12});
    w.maintain(kT0 + std::chrono::milliseconds(std::chrono::hours(2)).count());  // past the partition span
  }
  ASSERT_EQ(partitions(store_).size(), 1u);
  EXPECT_TRUE(fs::exists(partitions(store_)[0] / "closed"));
  const StoreReader closed(store_);
  ASSERT_EQ(closed.partitions().size(), 1u);
  EXPECT_TRUE(closed.partitions()[0]->closed());
  EXPECT_EQ(closed.event_count(), 12u);
  EXPECT_EQ(lookup_ids(closed, uuid_key(raw(child))), (std::vector<std::uint64_t>{11, 12}));
  EXPECT_EQ(lookup_ids(closed, attribute_key("filename", "x.csv")), std::vector<std::uint64_t>{12});
  // Full scans, both directions, with id and time ranges.
  ScanFilter all;
  EXPECT_EQ(ids(closed, all).size(), 12u);
  ScanFilter newest;
  newest.descending = true;
  newest.min_id = 9;
  EXPECT_EQ(ids(closed, newest), (std::vector<std::uint64_t>{12, 11, 10, 9}));
  ScanFilter window;
  window.min_time = kT0 + 2;
  window.max_time = kT0 + 4;
  EXPECT_EQ(ids(closed, window), (std::vector<std::uint64_t>{3, 4, 5}));
  ScanFilter by_component;
  by_component.component_id = "split";
  EXPECT_EQ(ids(closed, by_component), (std::vector<std::uint64_t>{11, 12}));
  ScanFilter by_type;
  by_type.types = 1U << static_cast<unsigned>(EventType::kSend);
  EXPECT_EQ(ids(closed, by_type), std::vector<std::uint64_t>{12});
}

TEST(StoreFormatTest, RunNamesRoundTrip) {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  ASSERT_TRUE(parse_run_name(run_name(7, 123456789012), first, last));
  EXPECT_EQ(first, 7u);
  EXPECT_EQ(last, 123456789012u);
  EXPECT_FALSE(parse_run_name("run-1-2", first, last));
  EXPECT_FALSE(parse_run_name(run_name(7, 8) + ".tmp", first, last));
}

TEST_F(StoreTest, EventsNoRunCoversAreFoundByScanning) {
  std::vector<Uuid> uuids;
  {
    StoreWriter w(store_settings(store_), kT0);
    uuids = fill(w, 1, 5);
    w.flush();
  }
  for (const auto& e : fs::directory_iterator(partitions(store_)[0])) {
    if (e.path().filename().string().starts_with("run-")) fs::remove(e.path());
  }
  const StoreReader reader(store_);
  EXPECT_EQ(lookup_ids(reader, uuid_key(raw(uuids[3]))), std::vector<std::uint64_t>{4});
}

TEST_F(StoreTest, ReopeningCutsATornTailAndIndexesWhatNoRunCovers) {
  std::vector<Uuid> uuids;
  {
    StoreWriter w(store_settings(store_), kT0);
    uuids = fill(w, 1, 5);
    w.flush();
  }
  const fs::path partition = partitions(store_)[0];
  for (const auto& e : fs::directory_iterator(partition)) {
    if (e.path().filename().string().starts_with("run-")) fs::remove(e.path());
  }
  {
    std::ofstream torn(partition / "events", std::ios::app | std::ios::binary);
    torn << std::string("\x40\x00\x00\x00garbage", 11);  // a block header whose payload never arrived
  }
  StoreWriter w(store_settings(store_), kT0);
  EXPECT_EQ(w.last_id(), 5u);
  const auto more = fill(w, 6, 2);
  w.flush();
  const StoreReader reader(store_);
  EXPECT_TRUE(reader.warnings().empty());
  EXPECT_EQ(reader.event_count(), 7u);
  EXPECT_EQ(lookup_ids(reader, uuid_key(raw(uuids[0]))), std::vector<std::uint64_t>{1});
  EXPECT_EQ(lookup_ids(reader, uuid_key(raw(more[1]))), std::vector<std::uint64_t>{7});
}

TEST_F(StoreTest, RunsStayFewAsFlushesAccumulate) {
  StoreWriter w(store_settings(store_), kT0);
  std::vector<Uuid> all;
  for (int flush = 0; flush < 64; ++flush) {
    const auto u = fill(w, (static_cast<std::uint64_t>(flush) * 4) + 1, 4);
    all.insert(all.end(), u.begin(), u.end());
    w.flush();
  }
  std::size_t runs = 0;
  for (const auto& e : fs::directory_iterator(partitions(store_)[0])) {
    if (e.path().filename().string().starts_with("run-")) ++runs;
  }
  EXPECT_LE(runs, 14u);  // at most 7 per level, levels logarithmic in the number of flushes
  const StoreReader reader(store_);
  for (std::size_t i = 0; i < all.size(); i += 17) {
    EXPECT_EQ(lookup_ids(reader, uuid_key(raw(all[i]))), std::vector<std::uint64_t>{i + 1});
  }
}

TEST_F(StoreTest, RetentionDropsWholePartitionsByAge) {
  auto settings = store_settings(store_);
  settings.max_age = std::chrono::hours(1);
  settings.partition_span = std::chrono::minutes(10);
  const std::int64_t minute = 60'000;
  StoreWriter w(settings, kT0);
  fill(w, 1, 3, kT0);                // partition 1
  fill(w, 4, 3, kT0 + 20 * minute);  // span passed: partition 2
  fill(w, 7, 3, kT0 + 70 * minute);  // partition 3
  w.flush();
  EXPECT_EQ(partitions(store_).size(), 3u);
  w.maintain(kT0 + 75 * minute);  // the first is older than an hour
  EXPECT_EQ(partitions(store_).size(), 2u);
  w.maintain(kT0 + 90 * minute);  // the second too
  const auto left = partitions(store_);
  ASSERT_EQ(left.size(), 1u);
  const StoreReader reader(store_);
  ScanFilter all;
  EXPECT_EQ(ids(reader, all), (std::vector<std::uint64_t>{7, 8, 9}));
  EXPECT_TRUE(reader.warnings().empty());
}

TEST_F(StoreTest, RetentionDropsTheOldestPartitionsBeyondMaxSize) {
  auto settings = store_settings(store_);
  settings.partition_span = std::chrono::minutes(1);
  settings.max_size = std::uint64_t{1} << 30;
  const std::int64_t minute = 60'000;
  std::uint64_t one_partition = 0;
  {
    StoreWriter w(settings, kT0);
    for (int p = 0; p < 5; ++p) {
      fill(w, (static_cast<std::uint64_t>(p) * 100) + 1, 100, kT0 + (std::int64_t{2} * p * minute));
    }
    w.flush();
    w.maintain(kT0 + 9 * minute);  // closes the fifth too
    one_partition = w.stats().bytes / 5;
  }
  EXPECT_EQ(partitions(store_).size(), 5u);
  settings.max_size = one_partition * 3 + one_partition / 2;  // room for three
  StoreWriter w(settings, kT0 + 10 * minute);
  EXPECT_EQ(partitions(store_).size(), 3u);
  const StoreReader reader(store_);
  ScanFilter all;
  const auto left = ids(reader, all);
  ASSERT_EQ(left.size(), 300u);
  EXPECT_EQ(left.front(), 201u);
}

TEST_F(StoreTest, ADamagedPartitionIsSkippedWithAWarning) {
  const std::int64_t minute = 60'000;
  auto settings = store_settings(store_);
  settings.partition_span = std::chrono::minutes(1);
  std::vector<Uuid> third;
  {
    StoreWriter w(settings, kT0);
    fill(w, 1, 50, kT0);
    fill(w, 51, 50, kT0 + 2 * minute);
    third = fill(w, 101, 50, kT0 + 4 * minute);
    w.flush();
  }
  const auto parts = partitions(store_);
  ASSERT_EQ(parts.size(), 3u);
  flip_byte(parts[0] / "events", 20);    // the first: its header
  flip_byte(parts[1] / "events", 2000);  // the second: inside a block
  const StoreReader reader(store_);
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_NE(reader.warnings()[0].find(parts[0].string()), std::string::npos) << reader.warnings()[0];
  EXPECT_NE(reader.warnings()[0].find("skipped"), std::string::npos);
  ScanFilter all;
  const auto left = ids(reader, all);
  // The second partition's first block is readable until the damage; the third is whole.
  EXPECT_EQ(std::count_if(left.begin(), left.end(), [](std::uint64_t id) { return id > 100; }), 50);
  EXPECT_EQ(std::count_if(left.begin(), left.end(), [](std::uint64_t id) { return id <= 50; }), 0);
  ASSERT_EQ(reader.warnings().size(), 2u);
  EXPECT_NE(reader.warnings()[1].find(parts[1].string()), std::string::npos) << reader.warnings()[1];
  EXPECT_EQ(lookup_ids(reader, uuid_key(raw(third[7]))), std::vector<std::uint64_t>{108});
  // The writer starts despite the damage (and keeps the damaged partition for inspection).
  StoreWriter w(settings, kT0 + 5 * minute);
  EXPECT_EQ(w.last_id(), 150u);
  EXPECT_TRUE(fs::exists(parts[0]));
}

// A crash between creating a partition's directory and its events file leaves a directory that never
// held an event: the next start drops it instead of refusing to open the store.
TEST_F(StoreTest, APartitionCreatedWithoutItsEventsFileBeforeACrashIsDropped) {
  auto settings = store_settings(store_);
  {
    StoreWriter w(settings, kT0);
    fill(w, 1, 10, kT0);
    w.flush();
  }
  const fs::path empty = store_ / partition_name(11);
  fs::create_directories(empty);
  StoreWriter w(settings, kT0 + 1);
  EXPECT_EQ(w.last_id(), 10u);
  EXPECT_FALSE(fs::exists(empty));
  fill(w, 11, 5, kT0 + 2);
  w.flush();
  const StoreReader reader(store_);
  EXPECT_TRUE(reader.warnings().empty());
  EXPECT_EQ(ids(reader, ScanFilter{}).size(), 15u);
}

}  // namespace
}  // namespace sluice::internal::provenance
