// The section format: what a session encodes decodes to the same events, attribute sets shared within a
// section are written once, and changes record the values before the event.
#include "provenance/event_codec.hpp"

#include <gtest/gtest.h>

#include "util/byte_codec.hpp"

namespace sluice::internal::provenance {
namespace {

Attributes attrs(std::vector<AttributeSet::Entry> entries) {
  std::sort(entries.begin(), entries.end());
  return Attributes(make_ref<AttributeSet>(std::move(entries)));
}

TEST(EventCodecTest, RoundTripsEveryField) {
  const Uuid self = random_uuid();
  const Uuid parent = random_uuid();
  const Uuid child_a = random_uuid();
  const Uuid child_b = random_uuid();
  const Uuid children[] = {child_a, child_b};
  const Attributes before = attrs({{"filename", "a.csv"}, {"kept", "1"}, {"gone", "x"}});
  const Attributes after = attrs({{"filename", "b.csv"}, {"kept", "1"}, {"new", "y"}});
  ContentClaim in;
  in.offset = 10;
  in.length = 20;
  ContentClaim out;
  out.offset = 30;
  out.length = 40;

  SectionEncoder enc;
  enc.begin("split", "SplitText", 1'700'000'000'000);
  EventInput e;
  e.type = EventType::kFork;
  e.time_ms = 1'700'000'000'005;
  e.uuid = &self;
  e.parents = std::span<const Uuid>(&parent, 1);
  e.children = children;
  e.relationship = "splits";
  e.source_queue = "get:success:split";
  e.transit_uri = "sftp://host/dir/f";
  e.details = "three lines";
  e.entry_ms = 1'699'999'999'000;
  e.lineage_start_ms = 1'699'999'998'000;
  e.content_in = &in;
  e.content_out = &out;
  e.attributes = &after;
  e.before = &before;
  enc.add(e);
  const std::string body(enc.body());

  SectionReader reader(body);
  EXPECT_EQ(reader.header().component_id, "split");
  EXPECT_EQ(reader.header().component_type, "SplitText");
  EXPECT_EQ(reader.header().count, 1u);
  EXPECT_EQ(reader.header().type_mask, 1U << static_cast<unsigned>(EventType::kFork));
  EventView v;
  ASSERT_TRUE(reader.next(v, 41));
  const ProvenanceEvent decoded = to_event(v, reader);
  EXPECT_EQ(decoded.id, 41u);
  EXPECT_EQ(decoded.type, EventType::kFork);
  EXPECT_EQ(decoded.time_ms, 1'700'000'000'005);
  EXPECT_EQ(decoded.flowfile_uuid, uuid_to_string(self));
  EXPECT_EQ(decoded.parent_uuids, std::vector<std::string>{uuid_to_string(parent)});
  EXPECT_EQ(decoded.child_uuids,
            (std::vector<std::string>{uuid_to_string(child_a), uuid_to_string(child_b)}));
  EXPECT_EQ(decoded.relationship, "splits");
  EXPECT_EQ(decoded.source_queue, "get:success:split");
  EXPECT_EQ(decoded.transit_uri, "sftp://host/dir/f");
  EXPECT_EQ(decoded.details, "three lines");
  EXPECT_EQ(decoded.entry_ms, 1'699'999'999'000);
  EXPECT_EQ(decoded.lineage_start_ms, 1'699'999'998'000);
  ASSERT_TRUE(decoded.content_in && decoded.content_out);
  EXPECT_EQ(decoded.content_in->offset, 10u);
  EXPECT_EQ(decoded.content_out->length, 40u);
  EXPECT_EQ(decoded.size(), 40u);
  // Every name either side of the event, with before and after.
  ASSERT_EQ(decoded.attributes.size(), 4u);
  auto find = [&](std::string_view name) {
    for (const auto& a : decoded.attributes) {
      if (a.name == name) return a;
    }
    return EventAttribute{};
  };
  EXPECT_EQ(find("filename").before, "a.csv");
  EXPECT_EQ(find("filename").after, "b.csv");
  EXPECT_EQ(find("kept").before, "1");
  EXPECT_EQ(find("kept").after, "1");
  EXPECT_EQ(find("gone").before, "x");
  EXPECT_FALSE(find("gone").after);
  EXPECT_FALSE(find("new").before);
  EXPECT_EQ(find("new").after, "y");
  const auto restored = decoded.attributes_before();
  EXPECT_EQ(restored, (std::vector<std::pair<std::string, std::string>>{
                          {"filename", "a.csv"}, {"gone", "x"}, {"kept", "1"}}));
  EXPECT_FALSE(reader.next(v, 41));
}

TEST(EventCodecTest, SharedAttributeSetsAreWrittenOnce) {
  std::string big(1000, 'v');
  const Attributes shared = attrs({{"payload", big}});
  const Uuid u = random_uuid();
  SectionEncoder enc;
  enc.begin("p", "T", 0);
  for (int i = 0; i < 50; ++i) {
    EventInput e;
    e.type = i % 2 == 0 ? EventType::kRoute : EventType::kDrop;
    e.uuid = &u;
    e.attributes = &shared;
    enc.add(e);
  }
  const std::string body(enc.body());
  EXPECT_LT(body.size(), big.size() + 50 * 40);  // 50 events of a few dozen bytes, one copy of the set
  SectionReader reader(body);
  EXPECT_EQ(reader.header().type_mask, (1U << static_cast<unsigned>(EventType::kRoute)) |
                                           (1U << static_cast<unsigned>(EventType::kDrop)));
  EventView v;
  int n = 0;
  while (reader.next(v, 1)) {
    EXPECT_EQ(reader.find_attribute(v.attribute_set, "payload"), big);
    EXPECT_EQ(v.id, static_cast<std::uint64_t>(1 + n));
    ++n;
  }
  EXPECT_EQ(n, 50);
}

TEST(EventCodecTest, EncoderIsReusedAcrossSections) {
  const Uuid u = random_uuid();
  const Attributes a = attrs({{"k", "1"}});
  SectionEncoder enc;
  for (int section = 0; section < 3; ++section) {
    enc.begin("p" + std::to_string(section), "T", 100 * section);
    EventInput e;
    e.type = EventType::kCreate;
    e.time_ms = 100 * section + 1;
    e.uuid = &u;
    e.attributes = &a;  // the same set in every section: each section carries its own copy
    enc.add(e);
    SectionReader reader(enc.body());
    EventView v;
    ASSERT_TRUE(reader.next(v, 1));
    EXPECT_EQ(reader.header().component_id, "p" + std::to_string(section));
    EXPECT_EQ(reader.find_attribute(v.attribute_set, "k"), "1");
    EXPECT_EQ(v.time_ms, 100 * section + 1);
  }
}

TEST(EventCodecTest, MalformedBodiesThrow) {
  const Uuid u = random_uuid();
  SectionEncoder enc;
  enc.begin("p", "T", 0);
  EventInput e;
  e.uuid = &u;
  enc.add(e);
  const std::string body(enc.body());
  for (std::size_t cut = 0; cut + 1 < body.size(); ++cut) {
    EXPECT_THROW(
        {
          SectionReader reader(std::string_view(body).substr(0, cut));
          EventView v;
          while (reader.next(v, 1)) {
          }
        },
        DecodeError)
        << "cut at " << cut;
  }
}

TEST(EventCodecTest, TypeNamesParseBackCaseInsensitively) {
  for (std::size_t i = 0; i < kEventTypeCount; ++i) {
    const auto type = static_cast<EventType>(i);
    EXPECT_EQ(parse_event_type(event_type_name(type)), type);
  }
  EXPECT_EQ(parse_event_type("content_modified"), EventType::kContentModified);
  EXPECT_FALSE(parse_event_type("SENT"));
}

}  // namespace
}  // namespace sluice::internal::provenance
