package dev.cohort.testkit.history;

/**
 * What one key of a versioned register may hold during the search: absent, or a value at a version
 * that is known, or only known to be above {@code floor} (after a write whose result is unknown).
 *
 * @param value the value, null when absent
 * @param version the version, when {@code versionKnown}
 * @param versionKnown whether the version is exactly known
 * @param floor every later version of the key is greater than this (its highest version known so far)
 */
record RegisterState(String value, long version, boolean versionKnown, long floor) {
  /** A key never written. */
  static final RegisterState INITIAL = new RegisterState(null, 0, false, Long.MIN_VALUE);

  /** Holding {@code value} at {@code version}. */
  static RegisterState at(String value, long version) {
    return new RegisterState(value, version, true, version);
  }

  /** Holding {@code value} at some version above {@code floor}. */
  static RegisterState above(String value, long floor) {
    return new RegisterState(value, 0, false, floor);
  }

  /** Deleted; its next version will still be above {@code floor}. */
  static RegisterState absent(long floor) {
    return new RegisterState(null, 0, false, floor);
  }

  boolean present() {
    return value != null;
  }

  @Override
  public String toString() {
    if (!present()) {
      return "absent";
    }
    if (versionKnown) {
      return Text.quote(value) + " v" + version;
    }
    return Text.quote(value) + (floor == Long.MIN_VALUE ? " at an unknown version" : " at a version above v" + floor);
  }
}
