#include "repository/content_repository.hpp"

#include <fcntl.h>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "repository/content_seal.hpp"
#include "repository_test_support.hpp"
#include "util/fs_sync.hpp"

namespace sluice::internal {
namespace {

using testing_support::TempDir;
namespace fs = std::filesystem;

std::string pattern_bytes(std::size_t size, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::string s(size, '\0');
  for (auto& c : s) c = static_cast<char>(gen());
  return s;
}

ContentClaim write_claim(ContentRepository& repo, std::string_view bytes, std::size_t piece = 1000) {
  auto w = repo.create_writer();
  for (std::size_t off = 0; off < bytes.size(); off += piece) w->write(bytes.substr(off, piece));
  EXPECT_EQ(w->written(), bytes.size());
  return w->finish();
}

std::string read_all(ContentRepository& repo, const ContentClaim& claim) {
  auto in = repo.open(claim);
  std::string out;
  char buf[777];
  for (std::size_t n; (n = in->read(buf)) > 0;) out.append(buf, n);
  return out;
}

std::string file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

ContentRepositorySettings settings_in(const fs::path& dir) {
  ContentRepositorySettings s;
  s.directory = dir;
  return s;
}

TEST(FileContentRepository, ManyClaimsFromManyThreadsReadBackExactly) {
  TempDir dir;
  auto settings = settings_in(dir.path());
  settings.max_appendable_bytes = 64 << 10;
  auto repo = make_file_content_repository(settings);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 300;
  std::vector<std::vector<std::pair<ContentClaim, std::string>>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 gen(static_cast<unsigned>(t));
      for (int i = 0; i < kPerThread; ++i) {
        const std::size_t size = 1 + gen() % 5000;
        std::string bytes = pattern_bytes(size, static_cast<std::uint64_t>(t * 100000 + i));
        ContentClaim claim = write_claim(*repo, bytes);
        results[static_cast<std::size_t>(t)].emplace_back(std::move(claim), std::move(bytes));
      }
    });
  }
  for (auto& th : threads) th.join();

  std::set<std::uint64_t> resources;
  std::vector<ResourceClaim*> to_sync;
  for (const auto& per_thread : results) {
    for (const auto& [claim, bytes] : per_thread) {
      ASSERT_EQ(claim.length, bytes.size());
      EXPECT_EQ(repo->open(claim)->view(), bytes);
      EXPECT_EQ(read_all(*repo, claim), bytes);
      if (resources.insert(claim.resource->id()).second) to_sync.push_back(claim.resource.get());
    }
  }
  // Small contents share resources, and a full resource (64 KiB) stops taking appends.
  EXPECT_GT(resources.size(), 4U);
  EXPECT_LT(resources.size(), static_cast<std::size_t>(kThreads * kPerThread) / 4);
  repo->sync(to_sync);
  repo->sync(to_sync);  // clean now: a no-op
  EXPECT_GE(repo->stats().resources, resources.size());
}

TEST(FileContentRepository, EmptyContentAndPartialRead) {
  TempDir dir;
  auto repo = make_file_content_repository(settings_in(dir.path()));
  ContentClaim empty = repo->create_writer()->finish();
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(repo->open(empty)->view(), "");
  const std::string bytes = pattern_bytes(10000, 1);
  ContentClaim claim = write_claim(*repo, bytes);
  auto in = repo->open(claim);
  char buf[100];
  ASSERT_EQ(in->read(buf), 100U);
  EXPECT_EQ(std::string_view(buf, 100), bytes.substr(0, 100));
  EXPECT_EQ(in->view(), std::string_view(bytes).substr(100));  // view() is what remains
  EXPECT_EQ(in->size(), bytes.size());
}

TEST(FileContentRepository, ImportExportRoundTripOfLargeFile) {
  TempDir dir;
  auto repo = make_file_content_repository(settings_in(dir.path() / "content"));
  const std::string bytes = pattern_bytes(6 << 20, 42);
  const fs::path source = dir.path() / "in.bin";
  std::ofstream(source, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ContentClaim claim = repo->import_file(source);
  ASSERT_EQ(claim.length, bytes.size());
  EXPECT_FALSE(claim.resource->writable.load());
  EXPECT_TRUE(repo->open(claim)->view() == bytes);
  const fs::path out = dir.path() / "out.bin";
  std::ofstream(out) << "stale longer content that must be truncated away";
  repo->export_file(claim, out);
  EXPECT_TRUE(file_bytes(out) == bytes);

  // A claim in the middle of a shared resource exports only its own range.
  ContentClaim first = write_claim(*repo, "first-");
  ContentClaim second = write_claim(*repo, "second");
  ASSERT_EQ(first.resource, second.resource);
  repo->export_file(second, out);
  EXPECT_EQ(file_bytes(out), "second");
}

struct stat stat_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st;
}

TEST(FileContentRepository, AdoptTakesTheFileOverWithoutCopying) {
  TempDir dir;
  auto repo = make_file_content_repository(settings_in(dir.path() / "content"));
  const std::string bytes = pattern_bytes(3 << 20, 7);
  const fs::path source = dir.path() / "in.bin";
  std::ofstream(source, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  const ino_t inode = stat_of(source).st_ino;

  ContentClaim claim = repo->adopt_file(source);
  ASSERT_EQ(claim.length, bytes.size());
  EXPECT_FALSE(claim.resource->writable.load());
  EXPECT_EQ(stat_of(source).st_nlink, 2U);  // the source and the repository's resource: one inode
  const fs::path resource = find_content_resource(dir.path() / "content", claim.resource->id());
  EXPECT_EQ(stat_of(resource).st_ino, inode);
  repo->increment(claim);
  repo->sync({claim.resource.get()});  // syncs an adopted resource like a written one

  fs::remove(source);  // what GetFile does after the commit
  EXPECT_TRUE(repo->open(claim)->view() == bytes);
  const fs::path out = dir.path() / "out.bin";
  repo->export_file(claim, out);
  EXPECT_TRUE(file_bytes(out) == bytes);
}

TEST(FileContentRepository, AdoptCopiesAFileWithAnotherName) {
  TempDir dir;
  auto repo = make_file_content_repository(settings_in(dir.path() / "content"));
  const fs::path source = dir.path() / "in.bin";
  std::ofstream(source) << "shared bytes";
  fs::create_hard_link(source, dir.path() / "second-name");  // a writer through it could change the bytes

  ContentClaim claim = repo->adopt_file(source);
  EXPECT_EQ(stat_of(source).st_nlink, 2U);  // no third link: copied
  const fs::path resource = find_content_resource(dir.path() / "content", claim.resource->id());
  EXPECT_NE(stat_of(resource).st_ino, stat_of(source).st_ino);
  std::ofstream(dir.path() / "second-name") << "changed";
  EXPECT_EQ(repo->open(claim)->view(), "shared bytes");
}

TEST(FileContentRepository, AdoptOfAMissingFileThrowsLikeImport) {
  TempDir dir;
  auto repo = make_file_content_repository(settings_in(dir.path() / "content"));
  EXPECT_THROW(repo->adopt_file(dir.path() / "gone"), std::system_error);
  EXPECT_THROW(repo->import_file(dir.path() / "gone"), std::system_error);
}

TEST(FileContentRepository, AdoptedContentSurvivesRecovery) {
  TempDir dir;
  auto settings = settings_in(dir.path());
  const fs::path source = dir.path() / "in.bin";
  std::ofstream(source) << "adopted content";
  std::uint64_t id = 0;
  {
    auto repo = make_file_content_repository(settings);
    ContentClaim claim = repo->adopt_file(source);
    repo->increment(claim);
    id = claim.resource->id();
    repo.reset();
  }
  fs::remove(source);
  auto repo = make_file_content_repository(settings);
  Ref<ResourceClaim> kept = repo->resource_for_recovery(id);
  ASSERT_TRUE(kept);
  ContentClaim claim{kept, 0, 15};
  repo->increment(claim);
  repo->finish_recovery();
  EXPECT_EQ(repo->open(claim)->view(), "adopted content");
}

// Overwrites one byte in place (the delivered file's owner editing it): the inode stays, its bytes change.
void change_one_byte(const fs::path& p, std::streamoff at) {
  std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(at);
  const char old = static_cast<char>(f.get());
  f.seekp(at);
  f.put(static_cast<char>(old ^ 0x5A));
}

TEST(FileContentRepository, AWholeUnsharedResourceIsSealedAndHandedOverByLink) {
  TempDir dir;
  auto settings = settings_in(dir.path() / "content");
  settings.archive_max_bytes = 4 << 20;
  auto repo = make_file_content_repository(settings);
  const std::string bytes = pattern_bytes(1 << 20, 3);
  const fs::path source = dir.path() / "in.bin";
  std::ofstream(source, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ContentClaim claim = repo->adopt_file(source);
  repo->increment(claim);
  fs::remove(source);

  const fs::path out = dir.path() / "out.bin";
  ASSERT_TRUE(repo->link_file(claim, out));
  const fs::path resource = find_content_resource(dir.path() / "content", claim.resource->id());
  EXPECT_EQ(stat_of(out).st_ino, stat_of(resource).st_ino);
  EXPECT_TRUE(file_bytes(out) == bytes);
  const std::optional<ContentSeal> seal = read_seal(resource);
  ASSERT_TRUE(seal);
  EXPECT_EQ(seal->size, bytes.size());
  EXPECT_THROW(repo->link_file(claim, out), std::system_error);  // the name is taken

  // Shared with a second FlowFile, or only part of a resource: a copy is the caller's.
  repo->increment(claim);
  EXPECT_FALSE(repo->link_file(claim, dir.path() / "second.bin"));
  repo->decrement(claim);
  const ContentClaim slice{claim.resource, 1, claim.length - 1};
  EXPECT_FALSE(repo->link_file(slice, dir.path() / "slice.bin"));
  const ContentClaim written = write_claim(*repo, "appendable");
  EXPECT_FALSE(repo->link_file(written, dir.path() / "written.bin"));
  // A whole file smaller than a resource: copying it costs less than sealing it.
  const fs::path small_source = dir.path() / "small.bin";
  std::ofstream(small_source) << "small";
  const ContentClaim small = repo->adopt_file(small_source);
  EXPECT_FALSE(repo->link_file(small, dir.path() / "small-out.bin"));

  // Still readable after the delivered file was renamed (its ctime moved: one full check, bytes intact).
  const fs::path moved = dir.path() / "moved.bin";
  fs::rename(out, moved);
  EXPECT_TRUE(read_all(*repo, claim) == bytes);

  // Unreferenced, it goes to the archive with its seal, a third name of the delivered inode: provenance
  // reads the delivered bytes there for as long as nobody changed them.
  const std::uint64_t id = claim.resource->id();
  repo->decrement(claim);
  claim = ContentClaim{};
  std::string archived;
  ASSERT_TRUE(repo->read_archived(id, 0, bytes.size(), archived));
  EXPECT_TRUE(archived == bytes);
  EXPECT_TRUE(fs::exists(seal_path(dir.path() / "content" / "archive" / std::to_string(id))));
  change_one_byte(moved, 4242);
  EXPECT_FALSE(repo->read_archived(id, 0, bytes.size(), archived));
}

TEST(FileContentRepository, AReadOfAHandedOverContentChangedAtItsDestinationFails) {
  TempDir dir;
  auto settings = settings_in(dir.path() / "content");
  const std::string bytes = pattern_bytes((1 << 20) + 77, 4);
  ContentClaim claim;
  std::uint64_t id = 0;
  const fs::path out = dir.path() / "delivered.bin";
  {
    auto repo = make_file_content_repository(settings);
    claim = write_claim(*repo, bytes, 100'000);  // fills a resource: a whole file of its own
    repo->increment(claim);
    repo->sync({claim.resource.get()});
    id = claim.resource->id();
    ASSERT_TRUE(repo->link_file(claim, out));
    EXPECT_TRUE(read_all(*repo, claim) == bytes);
    change_one_byte(out, 10);
    try {
      read_all(*repo, claim);
      ADD_FAILURE() << "a changed delivered file was served as the content";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("no longer match the SHA-256"), std::string::npos) << e.what();
    }
    EXPECT_THROW(repo->export_file(claim, dir.path() / "copy.bin"), std::runtime_error);
    change_one_byte(out, 10);  // back as it was
    EXPECT_TRUE(read_all(*repo, claim) == bytes);
    claim = ContentClaim{};
    repo.reset();
  }
  // The seal is on disk: a restarted repository knows the resource was handed over.
  auto repo = make_file_content_repository(settings);
  Ref<ResourceClaim> kept = repo->resource_for_recovery(id);
  ASSERT_TRUE(kept);
  claim = ContentClaim{kept, 0, bytes.size()};
  repo->increment(claim);
  repo->finish_recovery();
  EXPECT_TRUE(read_all(*repo, claim) == bytes);
  fs::resize_file(out, 100);
  EXPECT_THROW(read_all(*repo, claim), std::runtime_error);
}

TEST(FileContentRepository, SealsGoWithTheirResourcesAndOrphansAreDropped) {
  TempDir dir;
  auto settings = settings_in(dir.path() / "content");
  settings.archive_max_bytes = (1 << 20) + 100;  // room for one archived resource
  std::vector<std::uint64_t> ids;
  {
    auto repo = make_file_content_repository(settings);
    for (int i = 0; i < 2; ++i) {
      ContentClaim claim = write_claim(*repo, pattern_bytes(1 << 20, 10 + static_cast<unsigned>(i)), 1 << 20);
      repo->increment(claim);
      repo->sync({claim.resource.get()});
      ASSERT_TRUE(repo->link_file(claim, dir.path() / ("out" + std::to_string(i))));
      ids.push_back(claim.resource->id());
      repo->decrement(claim);  // archived; the second evicts the first, seal and all
    }
  }
  const fs::path archive = dir.path() / "content" / "archive";
  EXPECT_FALSE(fs::exists(archive / std::to_string(ids[0])));
  EXPECT_FALSE(fs::exists(seal_path(archive / std::to_string(ids[0]))));
  EXPECT_TRUE(fs::exists(seal_path(archive / std::to_string(ids[1]))));
  // What a crash can leave: a seal whose resource is gone, a seal's temporary file.
  std::ofstream(seal_path(archive / "999999")) << "orphan";
  std::ofstream(archive / "999998.seal.tmp") << "torn";
  const fs::path live_orphan = seal_path(content_resource_path(dir.path() / "content", ids[0]));
  std::ofstream(live_orphan) << "orphan";
  auto repo = make_file_content_repository(settings);
  repo->finish_recovery();
  EXPECT_FALSE(fs::exists(seal_path(archive / "999999")));
  EXPECT_FALSE(fs::exists(archive / "999998.seal.tmp"));
  EXPECT_FALSE(fs::exists(live_orphan));
  EXPECT_TRUE(fs::exists(seal_path(archive / std::to_string(ids[1]))));
  std::string out;
  EXPECT_TRUE(repo->read_archived(ids[1], 0, 1 << 20, out));
}

// A crash between take_from_archive's two renames (the seal back to the live set, then the resource) leaves
// an archived resource with its seal in the live set: the next start puts the seal back beside it.
TEST(FileContentRepository, ASealStrandedByACrashReturnsToItsArchivedResource) {
  TempDir dir;
  auto settings = settings_in(dir.path() / "content");
  std::uint64_t id = 0;
  const fs::path out = dir.path() / "delivered.bin";
  {
    auto repo = make_file_content_repository(settings);
    ContentClaim claim = write_claim(*repo, pattern_bytes(1 << 20, 21), 1 << 20);
    repo->increment(claim);
    repo->sync({claim.resource.get()});
    ASSERT_TRUE(repo->link_file(claim, out));
    id = claim.resource->id();
    repo->decrement(claim);  // archived with its seal
  }
  const fs::path archived = dir.path() / "content" / "archive" / std::to_string(id);
  const fs::path live_seal = seal_path(content_resource_path(dir.path() / "content", id));
  fs::rename(seal_path(archived), live_seal);  // what the crash left
  auto repo = make_file_content_repository(settings);
  repo->finish_recovery();
  EXPECT_FALSE(fs::exists(live_seal));
  ASSERT_TRUE(fs::exists(seal_path(archived)));
  change_one_byte(out, 99);
  std::string bytes;
  EXPECT_FALSE(repo->read_archived(id, 0, 1 << 20, bytes));  // still checked against its seal
}

TEST(ContentSeal, ACorruptSealIsAnErrorAndVouchesForNothing) {
  TempDir dir;
  const fs::path file = dir.path() / "r";
  std::ofstream(file) << "some bytes";
  const UniqueFd fd = open_file(file, O_RDONLY);
  EXPECT_EQ(check_seal(fd.get(), file), SealCheck::kUnsealed);
  write_seal(file, compute_seal(fd.get(), file));
  EXPECT_EQ(check_seal(fd.get(), file), SealCheck::kIntact);
  std::string text = file_bytes(seal_path(file));
  text[text.find("size ") + 5] = '9';  // the crc no longer matches
  std::ofstream(seal_path(file), std::ios::trunc) << text;
  EXPECT_THROW(read_seal(file), std::runtime_error);
  EXPECT_EQ(check_seal(fd.get(), file), SealCheck::kChanged);
}

TEST(FileContentRepository, AContentThatFillsAResourceByItselfGetsItsOwnAndCanBeHandedOver) {
  TempDir dir;
  auto repo = make_file_content_repository(settings_in(dir.path()));  // resources close past 1 MiB
  const ContentClaim small = write_claim(*repo, "a small content shares its resource");
  const std::string large = pattern_bytes((1 << 20) + 12345, 9);
  const ContentClaim big = write_claim(*repo, large, 70'000);  // started in the small one's resource
  const ContentClaim after = write_claim(*repo, "the next small content");
  EXPECT_NE(big.resource->id(), small.resource->id());
  EXPECT_EQ(big.offset, 0U);
  EXPECT_EQ(after.resource->id(), small.resource->id());  // back in the pool, cut to where it was
  EXPECT_EQ(after.offset, small.length);
  EXPECT_EQ(read_all(*repo, small), "a small content shares its resource");
  EXPECT_TRUE(read_all(*repo, big) == large);
  EXPECT_EQ(read_all(*repo, after), "the next small content");
  repo->increment(big);
  repo->sync({big.resource.get(), small.resource.get()});
  ASSERT_TRUE(repo->link_file(big, dir.path() / "delivered.bin"));
  EXPECT_TRUE(file_bytes(dir.path() / "delivered.bin") == large);
}

// durability fsync: large contents start their writeback while written (sync_file_range), including one
// that began in a shared resource and moved to its own; the bytes read back are the bytes written.
TEST(FileContentRepository, EagerWritebackKeepsEveryByte) {
  TempDir dir;
  auto settings = settings_in(dir.path());
  settings.eager_writeback = true;
  auto repo = make_file_content_repository(settings);
  const ContentClaim small = write_claim(*repo, "shares the resource the large one starts in");
  const std::string large = pattern_bytes((9 << 20) + 321, 17);
  const ContentClaim big = write_claim(*repo, large, 100'000);
  const std::string huge_piece = pattern_bytes(5 << 20, 18);  // one write past the chunk at once
  const ContentClaim one_write = write_claim(*repo, huge_piece, huge_piece.size());
  repo->sync({small.resource.get(), big.resource.get(), one_write.resource.get()});
  EXPECT_EQ(read_all(*repo, small), "shares the resource the large one starts in");
  EXPECT_TRUE(read_all(*repo, big) == large);
  EXPECT_TRUE(read_all(*repo, one_write) == huge_piece);
}

TEST(FileContentRepository, UnreferencedResourcesGoToABoundedArchive) {
  TempDir dir;
  auto settings = settings_in(dir.path());
  settings.max_appendable_bytes = 1;  // every content closes its resource
  settings.archive_max_bytes = 2500;
  auto repo = make_file_content_repository(settings);
  std::vector<ContentClaim> claims;
  std::vector<std::string> bytes;
  for (int i = 0; i < 3; ++i) {
    bytes.push_back(pattern_bytes(1000, static_cast<std::uint64_t>(i)));
    claims.push_back(write_claim(*repo, bytes.back()));
    repo->increment(claims.back());
    ASSERT_FALSE(claims.back().resource->writable.load());
  }
  ASSERT_NE(claims[0].resource, claims[1].resource);
  repo->decrement(claims[0]);
  EXPECT_EQ(repo->stats().archived_resources, 1U);
  std::string out;
  ASSERT_TRUE(repo->read_archived(claims[0].resource->id(), 0, 1000, out));
  EXPECT_EQ(out, bytes[0]);
  EXPECT_EQ(repo->open(claims[0])->view(), bytes[0]);  // a holder of the claim can still read it

  repo->decrement(claims[1]);
  repo->decrement(claims[2]);
  const auto stats = repo->stats();
  EXPECT_EQ(stats.archived_resources, 2U);  // 3000 > 2500: the oldest went
  EXPECT_LE(stats.archived_bytes, 2500U);
  EXPECT_FALSE(repo->read_archived(claims[0].resource->id(), 0, 1000, out));
  ASSERT_TRUE(repo->read_archived(claims[2].resource->id(), 10, 20, out));
  EXPECT_EQ(out, bytes[2].substr(10, 20));
}

TEST(FileContentRepository, ZeroArchiveDeletesAtOnce) {
  TempDir dir;
  auto settings = settings_in(dir.path());
  settings.max_appendable_bytes = 1;
  settings.archive_max_bytes = 0;
  auto repo = make_file_content_repository(settings);
  ContentClaim claim = write_claim(*repo, "gone soon");
  const std::uint64_t id = claim.resource->id();
  repo->increment(claim);
  repo->decrement(claim);
  std::string out;
  EXPECT_FALSE(repo->read_archived(id, 0, 4, out));
  EXPECT_EQ(repo->stats().archived_resources, 0U);
}

TEST(FileContentRepository, UncommittedContentIsReclaimedWithItsLastHandle) {
  TempDir dir;
  auto settings = settings_in(dir.path());
  settings.max_appendable_bytes = 1;
  auto repo = make_file_content_repository(settings);
  std::uint64_t id = 0;
  {
    ContentClaim claim = write_claim(*repo, "rolled back");
    id = claim.resource->id();
  }
  EXPECT_EQ(repo->stats().archived_resources, 1U);
  std::string out;
  EXPECT_TRUE(repo->read_archived(id, 0, 6, out));
  EXPECT_EQ(out, "rolled");
}

TEST(FileContentRepository, RecoveryKeepsReferencedAndArchivesTheRest) {
  TempDir dir;
  auto settings = settings_in(dir.path());
  settings.max_appendable_bytes = 1;
  std::vector<std::uint64_t> ids;
  {
    auto repo = make_file_content_repository(settings);
    std::vector<ContentClaim> claims;
    for (int i = 0; i < 3; ++i) {
      claims.push_back(write_claim(*repo, "content-" + std::to_string(i)));
      repo->increment(claims.back());
      ids.push_back(claims.back().resource->id());
    }
    auto open_writer = repo->create_writer();  // a partially written resource at the "crash"
    open_writer->write("partial");
    open_writer.reset();
    repo.reset();  // claims outlive the repository: nothing may be reclaimed by their release
  }
  auto repo = make_file_content_repository(settings);
  Ref<ResourceClaim> kept = repo->resource_for_recovery(ids[1]);
  ASSERT_TRUE(kept);
  EXPECT_EQ(repo->resource_for_recovery(ids[1]), kept);  // one shared object per id
  EXPECT_FALSE(kept->writable.load());
  ContentClaim claim{kept, 0, 9};
  repo->increment(claim);
  repo->finish_recovery();
  EXPECT_EQ(repo->open(claim)->view(), "content-1");
  const auto stats = repo->stats();
  EXPECT_EQ(stats.archived_resources, 3U);  // two unreferenced plus the partial one
  std::string out;
  EXPECT_TRUE(repo->read_archived(ids[0], 0, 9, out));
  EXPECT_EQ(out, "content-0");
  EXPECT_FALSE(repo->resource_for_recovery(ids.back() + 1000));

  // New resources continue above every id seen on disk.
  ContentClaim fresh = write_claim(*repo, "new");
  EXPECT_GT(fresh.resource->id(), ids.back() + 1);
}

TEST(MemoryContentRepository, BasicBehaviour) {
  TempDir dir;
  auto repo = make_memory_content_repository();
  const std::string bytes = pattern_bytes(100000, 3);
  {
    ContentClaim claim = write_claim(*repo, bytes);
    EXPECT_EQ(repo->open(claim)->view(), bytes);
    EXPECT_EQ(read_all(*repo, claim), bytes);
    EXPECT_EQ(repo->stats().live_bytes, bytes.size());
    repo->increment(claim);
    repo->sync({claim.resource.get()});
    repo->decrement(claim);

    const fs::path out = dir.path() / "out.bin";
    repo->export_file(claim, out);
    ContentClaim imported = repo->import_file(out);
    EXPECT_EQ(repo->open(imported)->view(), bytes);
    ContentClaim adopted = repo->adopt_file(out);  // in memory: a copy
    fs::remove(out);
    EXPECT_EQ(repo->open(adopted)->view(), bytes);
    EXPECT_EQ(repo->stats().resources, 3U);
  }
  EXPECT_EQ(repo->stats().resources, 0U);
  EXPECT_EQ(repo->stats().live_bytes, 0U);
  EXPECT_FALSE(repo->resource_for_recovery(1));
}

}  // namespace
}  // namespace sluice::internal
