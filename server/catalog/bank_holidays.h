// The UK bank holidays (server/catalog/bank_holidays*.textproto, each a
// cms.v1.BankHolidayCalendar), compiled into the binary, parsed and
// validated at start-up like the SR catalog and the letter templates, into
// the domain's WorkingDayCalendar (domain/working_days.h). A bad file stops
// the server with INVALID_ARGUMENT naming the file and the entry:
// an unknown jurisdiction, a jurisdiction listed twice or missing, an
// invalid date, a duplicate date, a holiday on a Saturday or Sunday, a
// holiday outside the file's years, a holiday without a name, or a covered
// year in which a jurisdiction has no holiday at all (a year of data left
// out would otherwise be counted as weekends only). Several files must
// declare the same years. Pure; the result is immutable, so thread-safe.
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "server/catalog/catalog.h"
#include "server/domain/working_days.h"

namespace cms::catalog {

// The files embedded at build time.
const std::vector<CatalogFile>& EmbeddedBankHolidayFiles();

absl::StatusOr<domain::WorkingDayCalendar> LoadBankHolidays(const std::vector<CatalogFile>& files);

}  // namespace cms::catalog
