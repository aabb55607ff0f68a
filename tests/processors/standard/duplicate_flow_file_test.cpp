#include "duplicate_flow_file.hpp"

#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/testkit.hpp"

namespace sluice::standard {
namespace {

using testkit::ProcessorRunner;

TEST(DuplicateFlowFileTest, TheOriginalAndItsCopiesWithIndexesAndOwnUuids) {
  ProcessorRunner runner(duplicate_flow_file_definition());
  runner.set_property("number_of_copies", "3");
  runner.enqueue("payload", {{"k", "v"}});
  runner.run();
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 4U);
  std::set<std::string> uuids;
  std::multiset<std::string> indexes;
  for (const auto& ff : out) {
    EXPECT_EQ(ff.content, "payload");
    EXPECT_EQ(ff.attribute("k"), "v");
    uuids.insert(ff.uuid);
    indexes.insert(ff.attribute("copy.index"));
  }
  EXPECT_EQ(uuids.size(), 4U);
  EXPECT_EQ(indexes, (std::multiset<std::string>{"0", "1", "2", "3"}));
}

TEST(DuplicateFlowFileTest, ASessionStaysNearTheBatchWhateverTheCopies) {
  ProcessorRunner runner(duplicate_flow_file_definition());
  runner.set_property("number_of_copies", "9").set_batch(20);
  for (int i = 0; i < 5; ++i) runner.enqueue("x");
  runner.run();
  EXPECT_EQ(runner.count("success"), 20U);  // 2 originals of 5, each with 9 copies
  EXPECT_EQ(runner.queued(), 3U);
  EXPECT_EQ(runner.run_until_empty(), 2);
  EXPECT_EQ(runner.count("success"), 50U);
}

TEST(DuplicateFlowFileTest, ANonNumericCountIsReportedByValidation) {
  ProcessorRunner runner(duplicate_flow_file_definition());
  runner.set_property("number_of_copies", "lots");
  ASSERT_EQ(runner.validate().size(), 1U);
  EXPECT_THAT(runner.validate()[0], ::testing::HasSubstr("'lots' is not an integer"));
}

}  // namespace
}  // namespace sluice::standard
