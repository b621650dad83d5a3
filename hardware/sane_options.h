// Options of an open SANE device, found and set by NAME (SANE.md section 2).
//
// Option numbers differ between backends and may change after SANE_INFO_RELOAD_OPTIONS,
// so every call looks the option up by name again. Before a value is written, the
// option's type, activity, settability and constraint are checked; numbers are converted
// to the option's own type (writing an integer into a fixed-point option would be read
// as 1/65536 and clamped to the minimum, e.g. 1 dpi) and moved to the nearest value the
// constraint allows, which is logged. The value the device holds afterwards is read back
// (SANE_INFO_INEXACT) and returned.
//
// Also here: the tables that map the station's source and mode names to the strings a
// backend offers (vendors name them differently: "ADF Duplex", "Duplex", "ADF Front").
//
// Thread-safety: the functions use the device's handle, so they follow SaneDevice's rule
// (one thread per handle). The matching functions are pure.
#ifndef INTAKE_HARDWARE_SANE_OPTIONS_H_
#define INTAKE_HARDWARE_SANE_OPTIONS_H_

#include <sane/sane.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "hardware/sane_handles.h"

namespace intake::hardware {

struct OptionRef {
  SANE_Int index = 0;
  const SANE_Option_Descriptor* descriptor = nullptr;  // owned by the backend
};

// The option called `name`, or nullopt when the device has none.
std::optional<OptionRef> FindOption(SaneDevice& device, std::string_view name);

// Whether `option` exists, is active and may be set by software.
bool IsSettable(const std::optional<OptionRef>& option);

// The entries of a string-list constraint (empty for other constraints).
std::vector<std::string> StringList(const SANE_Option_Descriptor& descriptor);

// The lowest and highest value an INT or FIXED option allows (range or word list), in
// the option's unit (FIXED values as doubles); nullopt when unconstrained.
std::optional<std::pair<double, double>> NumericBounds(const SANE_Option_Descriptor& descriptor);

// The allowed value nearest to `wanted` for an INT or FIXED option: a range's quantum is
// honoured, a word list is searched; ties go to the larger value.
// REQUIRES: descriptor.type is SANE_TYPE_INT or SANE_TYPE_FIXED.
double NearestAllowed(const SANE_Option_Descriptor& descriptor, double wanted);

// Sets the scalar INT or FIXED option `name` to the allowed value nearest to `wanted`
// (logged when it differs) and returns the value the device holds afterwards.
// Errors (kInvalidArgument, naming the device and the option): no such option, inactive,
// read-only, not a number, an array; a status from the backend (FromSaneStatus).
Result<double> SetNumberOption(SaneDevice& device, std::string_view name, double wanted);

// Sets the string option `name` to the entry of its list that equals `value` ignoring
// case (the device's spelling is written) and returns the value read back. Errors as
// SetNumberOption, and kInvalidArgument naming the offered entries when none matches.
Result<std::string> SetStringOption(SaneDevice& device, std::string_view name,
                                    std::string_view value);

// Sets any option from text as scanimage takes it: a number for INT and FIXED (nearest
// allowed), yes/no/true/false/1/0 for BOOL, a list entry or free text for STRING, and
// nothing for BUTTON (pressed). Errors as above, and kInvalidArgument for a value that is
// not of the option's type.
Status SetOptionFromText(SaneDevice& device, std::string_view name, std::string_view text);

// The current value of a scalar INT or FIXED option.
Result<double> GetNumberOption(SaneDevice& device, std::string_view name);

// The device's entry for the station's source, by case-insensitive substrings:
//   flatbed: "flatbed";
//   feeder:  "adf", "feeder" or "automatic document feeder", but not "duplex" or "back";
//   duplex:  "duplex".
// Among several candidates an exact name wins, otherwise the first in the device's order.
// nullopt when the device offers none.
std::optional<std::string> MatchSource(const std::vector<std::string>& offered,
                                       config::ScanSource source);

// The device's entry for the station's mode, by case-insensitive substrings:
//   lineart: "lineart", "binary", "black & white" / "black and white";
//   gray:    "gray" or "grey";
//   color:   "color" or "colour".
// Dithered variants ("halftone", "error diffusion", "dither") are taken only when nothing
// else matches; an exact name wins, otherwise the first in the device's order.
std::optional<std::string> MatchMode(const std::vector<std::string>& offered,
                                     config::ScanMode mode);

}  // namespace intake::hardware

#endif  // INTAKE_HARDWARE_SANE_OPTIONS_H_
