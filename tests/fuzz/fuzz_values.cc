// libFuzzer target (issue 17): the pure rules that judge what a person
// typed. The first byte picks one; the rest is its input:
//   names, free text and plain text (domain/values.h: UTF-8 walking, code
//   point counts, bidi controls), an SR field's name and a map of SR
//   fields against a catalog type (domain/sr_rules.h), NINOs and UK
//   postcodes (C2.1, C2.4), a segment's system name (S1.3), routing (R3.2)
//   with a fuzzed postcode, Timestamp / Duration / date-of-birth bounds, and
//   EchoInput, which every error echoing input goes through.
// Checked beyond "no crash": a normalised NINO or postcode normalises to
// itself, and an accepted name has no control character.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "absl/time/civil_time.h"
#include "cms/v1/catalog.pb.h"
#include "cms/v1/common.pb.h"
#include "server/base/errors.h"
#include "server/domain/nino.h"
#include "server/domain/postcode.h"
#include "server/domain/routing.h"
#include "server/domain/segment_naming.h"
#include "server/domain/sr_rules.h"
#include "server/domain/values.h"
#include "server/domain/working_days.h"

namespace {

namespace d = cms::domain;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

template <typename Enum>
Enum AnyEnum(FuzzedDataProvider& in) {
  // Unknown numbers too: a proto3 enum field holds whatever the wire said.
  return static_cast<Enum>(in.ConsumeIntegralInRange<int>(-2, 20));
}

void Text(FuzzedDataProvider& in) {
  const int max_chars = in.ConsumeIntegralInRange<int>(0, 300);
  const std::string s = in.ConsumeRemainingBytesAsString();
  (void)d::TextProblem(s);
  (void)d::FreeTextProblem(s, max_chars);
  if (!d::NameProblem(s, max_chars)) {
    for (unsigned char c : s) Check(c >= 0x20 && c != 0x7f);
  }
  Check(cms::EchoInput(s).size() <= cms::kMaxEchoChars + 3);
  (void)cms::EchoInput(s, max_chars);
}

void SrFields(FuzzedDataProvider& in) {
  cms::v1::SrType type;
  type.set_sub_area(in.ConsumeRandomLengthString(40));
  const int declared = in.ConsumeIntegralInRange<int>(0, 8);
  for (int i = 0; i < declared; ++i) {
    auto* f = type.add_fields();
    f->set_name(in.ConsumeRandomLengthString(70));
    f->set_mandatory(in.ConsumeBool());
    (void)d::SrFieldNameProblem(f->name());
  }
  std::map<std::string, std::string> fields;
  const int n = in.ConsumeIntegralInRange<int>(0, 60);
  for (int i = 0; i < n && in.remaining_bytes() > 0; ++i) {
    std::string key = in.ConsumeBool() && declared > 0
                          ? type.fields(in.ConsumeIntegralInRange<int>(0, declared - 1)).name()
                          : in.ConsumeRandomLengthString(80);
    fields[key] = in.ConsumeRandomLengthString(2100);
  }
  (void)d::SrFieldProblems(type, fields);
}

void IdsAndPlaces(FuzzedDataProvider& in) {
  const std::string nino = in.ConsumeRandomLengthString(20);
  if (auto n = d::NormaliseNino(nino)) Check(d::NormaliseNino(*n) == n);
  const std::string postcode = in.ConsumeRandomLengthString(20);
  const bool outside_uk = in.ConsumeBool();
  std::string normal;
  if (auto p = d::NormaliseUkPostcode(postcode)) {
    Check(d::NormaliseUkPostcode(*p) == p);
    normal = *p;
    (void)d::PostcodeArea(*p);
  }
  (void)d::PostcodeArea(postcode);
  (void)d::RegionOf(normal, outside_uk);
  (void)d::JurisdictionOf(AnyEnum<cms::v1::Country>(in), normal);
  (void)d::ParseJurisdiction(postcode);
  d::RoutingFacts facts;
  facts.any_party_nationally_sensitive = in.ConsumeBool();
  facts.pp_address_outside_uk = outside_uk;
  facts.pp_postcode = in.ConsumeBool() ? normal : postcode;
  facts.lifecycle_stage = AnyEnum<cms::v1::LifecycleStage>(in);
  facts.any_party_has_existing_case = in.ConsumeBool();
  facts.arrears_segment_exists = in.ConsumeBool();
  const d::RoutingDecision decision = d::Route(facts);
  Check(!decision.rule_id.empty());
  std::vector<cms::v1::LifecycleStage> stages;
  while (in.remaining_bytes() > 0 && stages.size() < 20) {
    stages.push_back(AnyEnum<cms::v1::LifecycleStage>(in));
  }
  (void)d::CasegroupStage(stages);
}

void SegmentName(FuzzedDataProvider& in) {
  const auto country = AnyEnum<cms::v1::Country>(in);
  const auto segment = AnyEnum<cms::v1::ServiceSegment>(in);
  const std::string description = in.ConsumeRandomLengthString(130);
  const std::string code = in.ConsumeRemainingBytesAsString();
  (void)d::ServiceSegmentAbbreviation(segment);
  (void)d::DeriveSystemName(country, segment, description, code);
}

void Instants(FuzzedDataProvider& in) {
  const int64_t seconds = in.ConsumeIntegral<int64_t>();
  const int32_t nanos = in.ConsumeIntegral<int32_t>();
  (void)d::TimestampProblem(seconds, nanos);
  (void)d::DurationProblem(seconds, nanos);
  // A cms.v1.Date's int32 parts, as the use cases build days from them.
  const absl::CivilDay dob(in.ConsumeIntegral<int32_t>(), in.ConsumeIntegral<int32_t>(),
                           in.ConsumeIntegral<int32_t>());
  const absl::CivilDay today(in.ConsumeIntegralInRange<int64_t>(-100000, 100000),
                             in.ConsumeIntegral<int32_t>(), in.ConsumeIntegral<int32_t>());
  (void)d::DateOfBirthProblem(dob, today);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  switch (in.ConsumeIntegralInRange<int>(0, 4)) {
    case 0:
      Text(in);
      break;
    case 1:
      SrFields(in);
      break;
    case 2:
      IdsAndPlaces(in);
      break;
    case 3:
      SegmentName(in);
      break;
    default:
      Instants(in);
  }
  return 0;
}
