#include "generate_flow_file.hpp"

#include <gtest/gtest.h>

#include "fake_session.hpp"

namespace sluice::standard {
namespace {

using ::sluice::testing::FakeContext;
using ::sluice::testing::FakeSession;

TEST(GenerateFlowFile, StopsAtCountAndYields) {
  FakeContext context(generate_flow_file_definition());
  context.properties["count"] = "3";
  context.properties["batch_size"] = "2";
  context.properties["size"] = "10 B";
  auto processor = generate_flow_file_definition().create();
  processor->on_schedule(context);

  FakeSession first;
  processor->on_trigger(context, first);
  EXPECT_EQ(first.transferred_to("success").size(), 2U);
  EXPECT_EQ(first.commits, 1);
  FakeSession second;
  processor->on_trigger(context, second);
  EXPECT_EQ(second.transferred_to("success").size(), 1U);
  FakeSession third;
  processor->on_trigger(context, third);
  EXPECT_TRUE(third.entries.empty());
  EXPECT_EQ(context.yields, 1);

  // A new run counts again.
  processor->on_schedule(context);
  FakeSession fourth;
  processor->on_trigger(context, fourth);
  EXPECT_EQ(fourth.transferred_to("success").size(), 2U);
}

TEST(GenerateFlowFile, SharedOrUniqueContentOfTheGivenSize) {
  for (const bool unique : {false, true}) {
    FakeContext context(generate_flow_file_definition());
    context.properties["batch_size"] = "2";
    context.properties["size"] = "100 KiB";  // more than one chunk
    context.properties["unique"] = unique ? "true" : "false";
    auto processor = generate_flow_file_definition().create();
    processor->on_schedule(context);
    FakeSession session;
    processor->on_trigger(context, session);
    const auto out = session.transferred_to("success");
    ASSERT_EQ(out.size(), 2U);
    EXPECT_EQ(out[0]->content.size(), 100U * 1024U);
    EXPECT_EQ(out[0]->content == out[1]->content, !unique);
    EXPECT_EQ(context.yields, 0);
  }
}

TEST(GenerateFlowFile, TextOverridesSize) {
  FakeContext context(generate_flow_file_definition());
  context.properties["text"] = "hello";
  context.properties["size"] = "1 KiB";
  auto processor = generate_flow_file_definition().create();
  processor->on_schedule(context);
  FakeSession session;
  processor->on_trigger(context, session);
  ASSERT_EQ(session.transferred_to("success").size(), 1U);
  EXPECT_EQ(session.transferred_to("success")[0]->content, "hello");
}

TEST(GenerateFlowFile, AFailedCommitIsNotCounted) {
  FakeContext context(generate_flow_file_definition());
  context.properties["count"] = "1";
  auto processor = generate_flow_file_definition().create();
  processor->on_schedule(context);
  FakeSession failing;
  failing.on_commit = [] { throw std::runtime_error("disk full"); };
  EXPECT_THROW(processor->on_trigger(context, failing), std::runtime_error);
  FakeSession retry;
  processor->on_trigger(context, retry);
  EXPECT_EQ(retry.transferred_to("success").size(), 1U);
}

TEST(GenerateFlowFile, RejectsANegativeCount) {
  FakeContext context(generate_flow_file_definition());
  context.properties["count"] = "-1";
  EXPECT_THROW(generate_flow_file_definition().create()->on_schedule(context), ProcessorError);
}

}  // namespace
}  // namespace sluice::standard
