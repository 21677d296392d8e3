package dev.cohort.mappers.elsewhere;

/** Keys whose classes Cohort's package cannot see by ordinary access rules. */
public final class HiddenKeys {
  private HiddenKeys() {}

  /** A package-private record, returned as Object. */
  public static Object order(String merchantId) {
    return new HiddenOrder(merchantId);
  }

  /** A private class that implements a public interface. */
  public static HasMerchant viaInterface(String merchantId) {
    return new Impl(merchantId);
  }

  /** A public view of a key's merchant. */
  public interface HasMerchant {
    String getMerchantId();
  }

  record HiddenOrder(String merchantId) {}

  private static final class Impl implements HasMerchant {
    private final String merchantId;

    Impl(String merchantId) {
      this.merchantId = merchantId;
    }

    @Override
    public String getMerchantId() {
      return merchantId;
    }
  }
}
