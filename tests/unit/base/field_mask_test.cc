// X13 API contract, AIP-134 / AIP-161: update masks are resolved against the
// resource's descriptor and its mutable fields, and applied so that only the
// named paths change.
#include "server/base/field_mask.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cms/v1/casegroup.pb.h"
#include "cms/v1/service_request.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "server/base/errors.h"

namespace cms {
namespace {

using cms::v1::Person;
using cms::v1::ServiceRequest;

constexpr absl::string_view kPersonMutable[] = {"given_name", "phone", "residential_address",
                                                "correspondence_address", "employers"};

google::protobuf::FieldMask Mask(std::vector<std::string> paths) {
  google::protobuf::FieldMask m;
  for (auto& p : paths) m.add_paths(p);
  return m;
}

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> out;
  for (const FieldError& f : FieldErrorsOf(status)) out.push_back(f.field);
  return out;
}

Person Stored() {
  Person p;
  p.set_id(7);
  p.set_etag("v3");
  p.set_given_name("Ann");
  p.set_phone("0100");
  p.mutable_residential_address()->add_lines("1 Old Street");
  p.mutable_residential_address()->set_postcode("NE1 4ST");
  p.mutable_correspondence_address()->add_lines("PO Box 1");
  p.add_employers()->set_name("Acme");
  return p;
}

TEST(FieldMaskTest, EmptyOrStarMaskNamesEveryMutableField) {
  // AIP-134: "*" is full replacement; an empty mask keeps what these RPCs did
  // before masks (full replacement of the mutable fields).
  for (const auto& mask : {Mask({}), Mask({"*"})}) {
    auto paths = ResolveUpdateMask(mask, *Person::descriptor(), kPersonMutable);
    ASSERT_TRUE(paths.ok()) << paths.status();
    EXPECT_EQ(*paths,
              std::vector<std::string>(std::begin(kPersonMutable), std::end(kPersonMutable)));
  }
}

TEST(FieldMaskTest, UnknownAndImmutablePathsAreEachNamed) {
  // X13.5: every bad path is named by its index; nothing is resolved.
  auto paths = ResolveUpdateMask(Mask({"phone", "no_such_field", "id", "residential_address.nope",
                                       "employers.name", "phone.digits", "", "nino"}),
                                 *Person::descriptor(), kPersonMutable);
  ASSERT_EQ(paths.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(paths.status()),
            (std::vector<std::string>{"update_mask.paths[1]", "update_mask.paths[2]",
                                      "update_mask.paths[3]", "update_mask.paths[4]",
                                      "update_mask.paths[5]", "update_mask.paths[6]",
                                      "update_mask.paths[7]"}));
  // The description names the path.
  EXPECT_NE(FieldErrorsOf(paths.status())[0].description.find("no_such_field"), std::string::npos);
  EXPECT_NE(FieldErrorsOf(paths.status())[1].description.find("\"id\""), std::string::npos);
}

TEST(FieldMaskTest, OnlyTheNamedFieldsChange) {
  Person patch;
  patch.set_phone("0200");
  patch.set_given_name("ignored: not in the mask");
  patch.set_id(99);
  auto paths = ResolveUpdateMask(Mask({"phone"}), *Person::descriptor(), kPersonMutable);
  ASSERT_TRUE(paths.ok());
  Person p = Stored();
  ApplyUpdateMask(*paths, patch, &p);
  Person want = Stored();
  want.set_phone("0200");
  EXPECT_EQ(p.SerializeAsString(), want.SerializeAsString()) << p.DebugString();
}

TEST(FieldMaskTest, NamedMessagesAndListsAreReplacedWholeOrCleared) {
  // AIP-161: a named message or repeated field takes the patch's value
  // whole; unset in the patch, it is cleared. A nested path changes only
  // that subfield.
  Person patch;
  patch.mutable_residential_address()->set_postcode("SW1A 1AA");
  auto paths = ResolveUpdateMask(
      Mask({"residential_address.postcode", "correspondence_address", "employers"}),
      *Person::descriptor(), kPersonMutable);
  ASSERT_TRUE(paths.ok()) << paths.status();
  Person p = Stored();
  ApplyUpdateMask(*paths, patch, &p);
  EXPECT_EQ(p.residential_address().postcode(), "SW1A 1AA");
  ASSERT_EQ(p.residential_address().lines_size(), 1);
  EXPECT_EQ(p.residential_address().lines(0), "1 Old Street");
  EXPECT_FALSE(p.has_correspondence_address());
  EXPECT_EQ(p.employers_size(), 0);
  EXPECT_EQ(p.given_name(), "Ann");

  // The whole message named: lines not in the patch go.
  paths = ResolveUpdateMask(Mask({"residential_address"}), *Person::descriptor(), kPersonMutable);
  ASSERT_TRUE(paths.ok());
  p = Stored();
  ApplyUpdateMask(*paths, patch, &p);
  EXPECT_EQ(p.residential_address().lines_size(), 0);
  EXPECT_EQ(p.residential_address().postcode(), "SW1A 1AA");
}

TEST(FieldMaskTest, MapEntriesAreSetOrRemovedOneByOne) {
  // SR fields: "fields.<key>" sets that entry from the patch, or removes it
  // when the patch has none; a key with spaces may be quoted.
  constexpr absl::string_view kMutable[] = {"fields"};
  ServiceRequest stored;
  (*stored.mutable_fields())["Change Type"] = "Income";
  (*stored.mutable_fields())["Source"] = "Phone";
  (*stored.mutable_fields())["Note"] = "keep";
  ServiceRequest patch;
  (*patch.mutable_fields())["Source"] = "Letter";
  (*patch.mutable_fields())["New"] = "added";
  (*patch.mutable_fields())["Other"] = "not named";
  auto paths = ResolveUpdateMask(Mask({"fields.Source", "fields.New", "fields.`Change Type`"}),
                                 *ServiceRequest::descriptor(), kMutable);
  ASSERT_TRUE(paths.ok()) << paths.status();
  ServiceRequest sr = stored;
  ApplyUpdateMask(*paths, patch, &sr);
  EXPECT_EQ(sr.fields().size(), 3u);
  EXPECT_EQ(sr.fields().at("Source"), "Letter");
  EXPECT_EQ(sr.fields().at("New"), "added");
  EXPECT_EQ(sr.fields().at("Note"), "keep");
  EXPECT_EQ(sr.fields().count("Change Type"), 0u);
  EXPECT_EQ(sr.fields().count("Other"), 0u);

  // The whole map named (or no mask): replaced.
  paths = ResolveUpdateMask(Mask({}), *ServiceRequest::descriptor(), kMutable);
  ASSERT_TRUE(paths.ok());
  sr = stored;
  ApplyUpdateMask(*paths, patch, &sr);
  EXPECT_EQ(sr.fields().size(), 3u);
  EXPECT_EQ(sr.fields().count("Note"), 0u);

  // A key must follow the map; other fields of the SR cannot be named.
  auto bad = ResolveUpdateMask(Mask({"fields.", "status", "activities.name"}),
                               *ServiceRequest::descriptor(), kMutable);
  EXPECT_EQ(Fields(bad.status()),
            (std::vector<std::string>{"update_mask.paths[0]", "update_mask.paths[1]",
                                      "update_mask.paths[2]"}));
}

TEST(FieldMaskTest, MaskTouchesAFieldOrWhatIsBeneathIt) {
  const std::vector<std::string> paths = {"legacy.sisted", "annual_review_date"};
  EXPECT_TRUE(MaskTouches(paths, "legacy"));
  EXPECT_TRUE(MaskTouches(paths, "annual_review_date"));
  EXPECT_FALSE(MaskTouches(paths, "lifecycle_stage"));
  EXPECT_FALSE(MaskTouches({"legacy_x"}, "legacy"));
}

}  // namespace
}  // namespace cms
