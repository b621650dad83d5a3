#include "hardware/sane_options.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>

#include "base/log.h"

namespace intake::hardware {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string Quoted(std::string_view text) {
  std::string out;  // appended piecewise: "\"" + std::string trips g++ 12's -Wrestrict
  out.reserve(text.size() + 2);
  out += '"';
  out.append(text);
  out += '"';
  return out;
}

std::string JoinQuoted(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += Quoted(item);
  }
  return out;
}

// "scanneren test:0, indstillingen \"resolution\"": the start of every option error.
std::string OptionContext(const SaneDevice& device, std::string_view name) {
  return "scanneren " + device.name() + ", indstillingen " + Quoted(name);
}

bool IsScalarNumber(const SANE_Option_Descriptor& d) {
  return (d.type == SANE_TYPE_INT || d.type == SANE_TYPE_FIXED) &&
         d.size == static_cast<SANE_Int>(sizeof(SANE_Word));
}

double WordToDouble(const SANE_Option_Descriptor& d, SANE_Word word) {
  return d.type == SANE_TYPE_FIXED ? SANE_UNFIX(word) : static_cast<double>(word);
}

SANE_Word DoubleToWord(const SANE_Option_Descriptor& d, double value) {
  const double scaled = d.type == SANE_TYPE_FIXED ? value * (1 << SANE_FIXED_SCALE_SHIFT) : value;
  const double clamped =
      std::clamp(std::round(scaled), static_cast<double>(std::numeric_limits<SANE_Word>::min()),
                 static_cast<double>(std::numeric_limits<SANE_Word>::max()));
  return static_cast<SANE_Word>(clamped);
}

// The option, checked to exist, be active and be settable by software.
Result<OptionRef> SettableOption(SaneDevice& device, std::string_view name) {
  const std::optional<OptionRef> option = FindOption(device, name);
  if (!option) {
    return Error(ErrorCode::kInvalidArgument,
                 OptionContext(device, name) + ": scanneren har ikke denne indstilling");
  }
  const SANE_Int cap = option->descriptor->cap;
  if (!SANE_OPTION_IS_ACTIVE(cap)) {
    return Error(ErrorCode::kInvalidArgument,
                 OptionContext(device, name) +
                     ": indstillingen er ikke aktiv med de øvrige valg (kilde, tilstand)");
  }
  if (!SANE_OPTION_IS_SETTABLE(cap)) {
    return Error(ErrorCode::kInvalidArgument,
                 OptionContext(device, name) +
                     ": indstillingen kan kun ændres på selve scanneren, ikke af programmet");
  }
  return *option;
}

// Writes `value` (a buffer of the option's size) and logs what the backend said.
Status WriteOption(SaneDevice& device, std::string_view name, const OptionRef& option, void* value,
                   std::string_view shown_value) {
  SANE_Int info = 0;
  const SANE_Status status = device.api().ControlOption(device.handle(), option.index,
                                                        SANE_ACTION_SET_VALUE, value, &info);
  if (status == SANE_STATUS_INVAL) {
    return Error(
        ErrorCode::kInvalidArgument,
        OptionContext(device, name) + ": scanneren afviste værdien " + Quoted(shown_value));
  }
  if (status != SANE_STATUS_GOOD) {
    return FromSaneStatus(OptionContext(device, name) + " = " + Quoted(shown_value), status);
  }
  if ((info & SANE_INFO_RELOAD_OPTIONS) != 0) {
    // Nothing to invalidate: every lookup goes by name through fresh descriptors.
    LOG(kDebug) << "scanner " << device.name() << ": " << name
                << " ændrede de øvrige indstillinger (SANE_INFO_RELOAD_OPTIONS)";
  }
  if ((info & SANE_INFO_INEXACT) != 0) {
    LOG(kInfo) << "scanner " << device.name() << ": " << name << " = " << shown_value
               << " blev tilpasset af scanneren (SANE_INFO_INEXACT)";
  }
  return OkStatus();
}

Result<std::string> ReadString(SaneDevice& device, std::string_view name, const OptionRef& option) {
  std::vector<char> buffer(static_cast<size_t>(std::max<SANE_Int>(option.descriptor->size, 1)) + 1);
  const SANE_Status status = device.api().ControlOption(
      device.handle(), option.index, SANE_ACTION_GET_VALUE, buffer.data(), nullptr);
  if (status != SANE_STATUS_GOOD) {
    return FromSaneStatus(OptionContext(device, name) + ": kan ikke læse værdien", status);
  }
  buffer.back() = '\0';
  return std::string(buffer.data());
}

Result<double> ReadNumber(SaneDevice& device, std::string_view name, const OptionRef& option) {
  SANE_Word word = 0;
  const SANE_Status status = device.api().ControlOption(device.handle(), option.index,
                                                        SANE_ACTION_GET_VALUE, &word, nullptr);
  if (status != SANE_STATUS_GOOD) {
    return FromSaneStatus(OptionContext(device, name) + ": kan ikke læse værdien", status);
  }
  return WordToDouble(*option.descriptor, word);
}

std::string FormatNumber(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e9) {
    return std::to_string(static_cast<long long>(value));
  }
  std::string text = std::to_string(value);
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

std::optional<double> ParseNumber(std::string_view text) {
  // strtod after a copy: std::from_chars for double is not in libstdc++ 12's every mode.
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end == copy.c_str() || *end != '\0' || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// Picks among `offered` the entries containing one of `include` and none of `exclude`;
// an entry equal to one of `exact` wins; entries with a dithering word come last.
std::optional<std::string> Pick(const std::vector<std::string>& offered,
                                const std::vector<std::string_view>& include,
                                const std::vector<std::string_view>& exclude,
                                const std::vector<std::string_view>& exact) {
  static const std::vector<std::string_view> kDithered = {"halftone", "error diffusion", "dither"};
  std::vector<std::string> plain, dithered;
  for (const auto& entry : offered) {
    const std::string lower = Lower(entry);
    const bool included = std::any_of(include.begin(), include.end(),
                                      [&](std::string_view w) { return Contains(lower, w); });
    const bool excluded = std::any_of(exclude.begin(), exclude.end(),
                                      [&](std::string_view w) { return Contains(lower, w); });
    if (!included || excluded) continue;
    if (std::any_of(exact.begin(), exact.end(), [&](std::string_view w) { return lower == w; })) {
      return entry;
    }
    const bool is_dithered = std::any_of(kDithered.begin(), kDithered.end(),
                                         [&](std::string_view w) { return Contains(lower, w); });
    (is_dithered ? dithered : plain).push_back(entry);
  }
  if (!plain.empty()) return plain.front();
  if (!dithered.empty()) return dithered.front();
  return std::nullopt;
}

}  // namespace

std::optional<OptionRef> FindOption(SaneDevice& device, std::string_view name) {
  SaneApi& api = device.api();
  const SANE_Option_Descriptor* first = api.GetOptionDescriptor(device.handle(), 0);
  if (first == nullptr) return std::nullopt;
  // Option 0 holds the number of options (SANE standard 4.5.2).
  SANE_Int count = 0;
  if (api.ControlOption(device.handle(), 0, SANE_ACTION_GET_VALUE, &count, nullptr) !=
      SANE_STATUS_GOOD) {
    return std::nullopt;
  }
  for (SANE_Int i = 1; i < count; ++i) {
    const SANE_Option_Descriptor* d = api.GetOptionDescriptor(device.handle(), i);
    if (d == nullptr || d->name == nullptr || d->type == SANE_TYPE_GROUP) continue;
    if (name == d->name) return OptionRef{i, d};
  }
  return std::nullopt;
}

bool IsSettable(const std::optional<OptionRef>& option) {
  return option && SANE_OPTION_IS_ACTIVE(option->descriptor->cap) &&
         SANE_OPTION_IS_SETTABLE(option->descriptor->cap);
}

std::vector<std::string> StringList(const SANE_Option_Descriptor& descriptor) {
  std::vector<std::string> out;
  if (descriptor.constraint_type != SANE_CONSTRAINT_STRING_LIST ||
      descriptor.constraint.string_list == nullptr) {
    return out;
  }
  for (const SANE_String_Const* s = descriptor.constraint.string_list; *s != nullptr; ++s) {
    out.emplace_back(*s);
  }
  return out;
}

std::optional<std::pair<double, double>> NumericBounds(const SANE_Option_Descriptor& d) {
  if (d.constraint_type == SANE_CONSTRAINT_RANGE && d.constraint.range != nullptr) {
    return std::make_pair(WordToDouble(d, d.constraint.range->min),
                          WordToDouble(d, d.constraint.range->max));
  }
  if (d.constraint_type == SANE_CONSTRAINT_WORD_LIST && d.constraint.word_list != nullptr &&
      d.constraint.word_list[0] > 0) {
    const SANE_Word* list = d.constraint.word_list;
    const auto [lo, hi] = std::minmax_element(list + 1, list + 1 + list[0]);
    return std::make_pair(WordToDouble(d, *lo), WordToDouble(d, *hi));
  }
  return std::nullopt;
}

double NearestAllowed(const SANE_Option_Descriptor& d, double wanted) {
  assert(d.type == SANE_TYPE_INT || d.type == SANE_TYPE_FIXED);
  // Work in the option's own words, so FIXED quanta are exact.
  const long long want = DoubleToWord(d, wanted);
  if (d.constraint_type == SANE_CONSTRAINT_RANGE && d.constraint.range != nullptr) {
    const SANE_Range& r = *d.constraint.range;
    long long v = std::clamp<long long>(want, r.min, r.max);
    if (r.quant > 0) {
      const long long steps = (v - r.min + r.quant / 2) / r.quant;  // half up: the larger
      v = r.min + steps * r.quant;
      if (v > r.max) v -= r.quant;
    }
    return WordToDouble(d, static_cast<SANE_Word>(v));
  }
  if (d.constraint_type == SANE_CONSTRAINT_WORD_LIST && d.constraint.word_list != nullptr &&
      d.constraint.word_list[0] > 0) {
    const SANE_Word* list = d.constraint.word_list;
    SANE_Word best = list[1];
    for (SANE_Int i = 1; i <= list[0]; ++i) {
      const long long dist = std::llabs(list[i] - want);
      const long long best_dist = std::llabs(best - want);
      if (dist < best_dist || (dist == best_dist && list[i] > best)) best = list[i];
    }
    return WordToDouble(d, best);
  }
  return WordToDouble(d, static_cast<SANE_Word>(want));
}

Result<double> SetNumberOption(SaneDevice& device, std::string_view name, double wanted) {
  INTAKE_ASSIGN_OR_RETURN(const OptionRef option, SettableOption(device, name));
  const SANE_Option_Descriptor& d = *option.descriptor;
  if (!IsScalarNumber(d)) {
    return Error(ErrorCode::kInvalidArgument,
                 OptionContext(device, name) + ": forventede et tal, men indstillingen er " +
                     (d.type == SANE_TYPE_INT || d.type == SANE_TYPE_FIXED ? "en liste af tal"
                                                                           : "ikke et tal"));
  }
  const double allowed = NearestAllowed(d, wanted);
  if (std::fabs(allowed - wanted) > 1e-3) {
    LOG(kInfo) << "scanner " << device.name() << ": " << name << " " << FormatNumber(wanted)
               << " tilbydes ikke; bruger den nærmeste tilladte værdi " << FormatNumber(allowed);
  }
  // The option's own type: an integer written into a FIXED option would be read as
  // 1/65536 of it and clamped to the minimum (SANE.md section 2).
  SANE_Word word = DoubleToWord(d, allowed);
  INTAKE_RETURN_IF_ERROR(WriteOption(device, name, option, &word, FormatNumber(allowed)));
  // Read back by name: the write may have reloaded the descriptors.
  INTAKE_ASSIGN_OR_RETURN(const OptionRef after, SettableOption(device, name));
  return ReadNumber(device, name, after);
}

Result<std::string> SetStringOption(SaneDevice& device, std::string_view name,
                                    std::string_view value) {
  INTAKE_ASSIGN_OR_RETURN(const OptionRef option, SettableOption(device, name));
  const SANE_Option_Descriptor& d = *option.descriptor;
  if (d.type != SANE_TYPE_STRING) {
    return Error(ErrorCode::kInvalidArgument,
                 OptionContext(device, name) + ": forventede en tekst-indstilling");
  }
  std::string chosen(value);
  const std::vector<std::string> list = StringList(d);
  if (!list.empty()) {
    const std::string wanted = Lower(value);
    auto it = std::find_if(list.begin(), list.end(),
                           [&](const std::string& e) { return Lower(e) == wanted; });
    if (it == list.end()) {
      return Error(ErrorCode::kInvalidArgument, OptionContext(device, name) + ": " + Quoted(value) +
                                                    " tilbydes ikke; scanneren tilbyder " +
                                                    JoinQuoted(list));
    }
    chosen = *it;
  }
  if (d.size <= 0 || chosen.size() + 1 > static_cast<size_t>(d.size)) {
    return Error(ErrorCode::kInvalidArgument, OptionContext(device, name) + ": " + Quoted(chosen) +
                                                  " er for lang (højst " +
                                                  std::to_string(d.size - 1) + " tegn)");
  }
  std::vector<char> buffer(static_cast<size_t>(d.size), '\0');
  std::memcpy(buffer.data(), chosen.data(), chosen.size());
  INTAKE_RETURN_IF_ERROR(WriteOption(device, name, option, buffer.data(), chosen));
  INTAKE_ASSIGN_OR_RETURN(const OptionRef after, SettableOption(device, name));
  return ReadString(device, name, after);
}

Status SetOptionFromText(SaneDevice& device, std::string_view name, std::string_view text) {
  INTAKE_ASSIGN_OR_RETURN(const OptionRef option, SettableOption(device, name));
  const SANE_Option_Descriptor& d = *option.descriptor;
  switch (d.type) {
    case SANE_TYPE_INT:
    case SANE_TYPE_FIXED: {
      const std::optional<double> number = ParseNumber(text);
      if (!number) {
        return Error(ErrorCode::kInvalidArgument,
                     OptionContext(device, name) + ": " + Quoted(text) + " er ikke et tal");
      }
      INTAKE_ASSIGN_OR_RETURN(const double actual, SetNumberOption(device, name, *number));
      (void)actual;
      return OkStatus();
    }
    case SANE_TYPE_BOOL: {
      const std::string lower = Lower(text);
      SANE_Word word;
      if (lower == "yes" || lower == "true" || lower == "1" || lower == "ja") {
        word = SANE_TRUE;
      } else if (lower == "no" || lower == "false" || lower == "0" || lower == "nej") {
        word = SANE_FALSE;
      } else {
        return Error(ErrorCode::kInvalidArgument,
                     OptionContext(device, name) + ": " + Quoted(text) + " er ikke yes eller no");
      }
      return WriteOption(device, name, option, &word, lower);
    }
    case SANE_TYPE_STRING: {
      INTAKE_ASSIGN_OR_RETURN(const std::string actual, SetStringOption(device, name, text));
      (void)actual;
      return OkStatus();
    }
    case SANE_TYPE_BUTTON:
      return WriteOption(device, name, option, nullptr, "tryk");
    case SANE_TYPE_GROUP:
      break;
  }
  return Error(ErrorCode::kInvalidArgument,
               OptionContext(device, name) + ": er en gruppe, ikke en indstilling");
}

Result<double> GetNumberOption(SaneDevice& device, std::string_view name) {
  const std::optional<OptionRef> option = FindOption(device, name);
  if (!option || !SANE_OPTION_IS_ACTIVE(option->descriptor->cap) ||
      !IsScalarNumber(*option->descriptor)) {
    return Error(ErrorCode::kInvalidArgument,
                 OptionContext(device, name) + ": findes ikke som aktivt tal");
  }
  return ReadNumber(device, name, *option);
}

std::optional<std::string> MatchSource(const std::vector<std::string>& offered,
                                       config::ScanSource source) {
  switch (source) {
    case config::ScanSource::kFlatbed:
      return Pick(offered, {"flatbed"}, {}, {"flatbed"});
    case config::ScanSource::kFeeder:
      return Pick(offered, {"adf", "feeder", "automatic document feeder"}, {"duplex", "back"},
                  {"adf", "automatic document feeder", "adf front", "feeder"});
    case config::ScanSource::kDuplex:
      return Pick(offered, {"duplex"}, {}, {"duplex", "adf duplex"});
  }
  return std::nullopt;
}

std::optional<std::string> MatchMode(const std::vector<std::string>& offered,
                                     config::ScanMode mode) {
  switch (mode) {
    case config::ScanMode::kLineart:
      return Pick(offered, {"lineart", "binary", "black & white", "black and white", "black&white"},
                  {}, {"lineart", "binary", "black & white"});
    case config::ScanMode::kGray:
      return Pick(offered, {"gray", "grey"}, {}, {"gray", "grey", "grayscale", "greyscale"});
    case config::ScanMode::kColor:
      return Pick(offered, {"color", "colour"}, {}, {"color", "colour"});
  }
  return std::nullopt;
}

}  // namespace intake::hardware
