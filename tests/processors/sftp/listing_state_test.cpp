// The listing position: what is new, in what order, and how the position moves, without a server.
#include "listing_state.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sftp_properties.hpp"

namespace sluice::sftp {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<const ListingCandidate*> pick(const std::vector<ListingCandidate>& c,
                                          const std::vector<std::size_t>& i) {
  std::vector<const ListingCandidate*> out;
  out.reserve(i.size());
  for (const std::size_t k : i) out.push_back(&c[k]);
  return out;
}

TEST(ListingState, ANewListingEmitsOldestFirstWithTiesByPath) {
  const std::vector<ListingCandidate> c = {{"/d/c", 20}, {"/d/a", 10}, {"/d/b", 20}};
  EXPECT_THAT(select_new(c, {}, 100, 0, 10), ElementsAre(1, 2, 0));
  EXPECT_THAT(select_new(c, {}, 100, 0, 2), ElementsAre(1, 2));
  EXPECT_THAT(select_new(c, {}, 100, 85, 10), ElementsAre(1));  // the others are younger than 85
}

TEST(ListingState, ThePositionRemembersThePathsOfItsNewestTimestamp) {
  const std::vector<ListingCandidate> c = {{"/a", 10}, {"/b", 20}, {"/c", 20}};
  const ListingPosition first = advance({}, pick(c, select_new(c, {}, 100, 0, 2)));
  EXPECT_EQ(first.timestamp_ms, 20);
  EXPECT_THAT(first.paths, ElementsAre("/b"));
  const auto second_pick = select_new(c, first, 100, 0, 10);
  EXPECT_THAT(second_pick, ElementsAre(2));
  const ListingPosition second = advance(first, pick(c, second_pick));
  EXPECT_THAT(second.paths, ElementsAre("/b", "/c"));
  EXPECT_THAT(select_new(c, second, 100, 0, 10), IsEmpty());
  // A newer file resets the remembered paths to its own timestamp.
  const std::vector<ListingCandidate> later = {{"/a", 10}, {"/b", 20}, {"/c", 20}, {"/d", 30}};
  const ListingPosition third = advance(second, pick(later, select_new(later, second, 100, 0, 10)));
  EXPECT_EQ(third.timestamp_ms, 30);
  EXPECT_THAT(third.paths, ElementsAre("/d"));
}

TEST(ListingState, StateRoundTripsAndToleratesGarbage) {
  const ListingPosition p = decode_position(std::string("1700000000000"), encode_paths({"/x/b", "/x/a"}));
  EXPECT_EQ(p.timestamp_ms, 1'700'000'000'000);
  EXPECT_THAT(p.paths, ElementsAre("/x/a", "/x/b"));
  EXPECT_EQ(decode_position(std::string("soon"), std::string("/x")).timestamp_ms, INT64_MIN);
  EXPECT_THAT(decode_position(std::nullopt, std::string("/x")).paths, IsEmpty());
}

TEST(RemotePaths, DirectoriesThatCouldClimbOutAreRefused) {
  EXPECT_EQ(unsafe_directory_reason("/in/meters"), "");
  EXPECT_EQ(unsafe_directory_reason("relative/dir"), "");
  EXPECT_EQ(unsafe_directory_reason("/in/..meters"), "");
  EXPECT_NE(unsafe_directory_reason("/in/../etc"), "");
  EXPECT_NE(unsafe_directory_reason(".."), "");
  EXPECT_NE(unsafe_directory_reason("a/.."), "");
  EXPECT_NE(unsafe_directory_reason(""), "");
  EXPECT_EQ(join_path("/in/", "a.csv"), "/in/a.csv");
  EXPECT_EQ(join_path("/in", "a.csv"), "/in/a.csv");
}

}  // namespace
}  // namespace sluice::sftp
