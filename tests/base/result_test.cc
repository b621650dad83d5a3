#include "base/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace intake {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Error(ErrorCode::kInvalidArgument, "ulige tal");
  return x / 2;
}

Result<int> Quarter(int x) {
  INTAKE_ASSIGN_OR_RETURN(int half, Half(x));
  INTAKE_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

Status CheckEven(int x) {
  INTAKE_RETURN_IF_ERROR(Half(x));
  return OkStatus();
}

TEST(Result, HoldsValueOrError) {
  Result<int> ok = Half(8);
  ASSERT_TRUE(ok.has_value());
  EXPECT_TRUE(static_cast<bool>(ok));
  EXPECT_EQ(*ok, 4);
  Result<int> bad = Half(3);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.value_or(-1), -1);
}

TEST(Result, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);  // 6 -> 3 -> odd
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "ulige tal");
}

TEST(Result, StatusReturnIfError) {
  EXPECT_TRUE(CheckEven(2));
  Status s = CheckEven(5);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
}

TEST(Result, MovesOnlyTypesAndConvertsDerivedPointers) {
  struct Base {
    virtual ~Base() = default;
    virtual int Id() const { return 1; }
  };
  struct Derived : Base {
    int Id() const override { return 2; }
  };
  Result<std::unique_ptr<Derived>> d = std::make_unique<Derived>();
  Result<std::unique_ptr<Base>> b = std::move(d);
  ASSERT_TRUE(b);
  EXPECT_EQ((*b)->Id(), 2);
  Result<std::unique_ptr<Derived>> err = Error(ErrorCode::kInternal, "x");
  Result<std::unique_ptr<Base>> berr = std::move(err);
  EXPECT_FALSE(berr);
}

}  // namespace
}  // namespace intake
