package dev.cohort.mappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.cohort.api.CohortSettings;
import dev.cohort.api.ConfigurationException;
import dev.cohort.api.MapperSpec;
import dev.cohort.api.PartitionMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CustomMapperTest {
  private static final String PREFIX = "dev.cohort.mappers.CustomMapperTest$";

  /** The least settings a custom mapper can be configured in: one node, one static group. */
  private static final String SETTINGS = """
      cohort.nodes.node-a { groups = [audit] }
      cohort.partition-groups.audit { type = static, partitions = [ { active = node-a } ] }
      """;

  /** A class name {@link #LOADER} fails to link, as a loader does when a class's superclass is missing. */
  private static final String BROKEN = "com.example.BrokenMapper";

  /** The test classes as usual, but {@link #BROKEN} fails to link. */
  private static final ClassLoader LOADER = new ClassLoader(CustomMapperTest.class.getClassLoader()) {
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.equals(BROKEN)) {
        throw new NoClassDefFoundError("com/example/MissingDependency");
      }
      return super.loadClass(name, resolve);
    }
  };

  /** Reads its own config block: the key plus a configured offset. */
  public static final class OffsetMapper implements PartitionMapper {
    private final int offset;

    public OffsetMapper(Config config) {
      this.offset = config.hasPath("offset") ? config.getInt("offset") : 0;
    }

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return Math.floorMod((Integer) key + offset, partitionCount);
    }
  }

  /** Needs no config: everything to the last partition. */
  public static final class LastMapper implements PartitionMapper {
    public LastMapper() {}

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return partitionCount - 1;
    }
  }

  /** Has both constructors: the Config one is used. */
  public static final class BothConstructorsMapper implements PartitionMapper {
    private final boolean gotConfig;

    public BothConstructorsMapper() {
      this.gotConfig = false;
    }

    public BothConstructorsMapper(Config config) {
      this.gotConfig = true;
    }

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return gotConfig ? 1 : 0;
    }
  }

  /** Reports whether its block is the whole mapper block, with type and class. */
  public static final class WholeBlockMapper implements PartitionMapper {
    private final boolean whole;

    public WholeBlockMapper(Config config) {
      this.whole = config.getString("type").equals("custom") && config.getString("class").endsWith("WholeBlockMapper");
    }

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return whole ? 1 : 0;
    }
  }

  public static final class NotAMapper {}

  public static final class StringConstructorMapper implements PartitionMapper {
    public StringConstructorMapper(String name) {}

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return 0;
    }
  }

  public abstract static class AbstractMapper implements PartitionMapper {}

  static final class PackagePrivateMapper implements PartitionMapper {
    public PackagePrivateMapper() {}

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return 0;
    }
  }

  public final class InnerMapper implements PartitionMapper {
    public InnerMapper() {}

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return 0;
    }
  }

  public static final class ThrowingMapper implements PartitionMapper {
    public ThrowingMapper(Config config) {
      throw new IllegalStateException("no region configured");
    }

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return 0;
    }
  }

  /** Its static initializer fails: checking must not run it, creating must report it. */
  public static final class BrokenStaticMapper implements PartitionMapper {
    static final int VALUE = Integer.parseInt("not a number");

    public BrokenStaticMapper() {}

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return VALUE;
    }
  }

  public static final class OutOfRangeMapper implements PartitionMapper {
    public OutOfRangeMapper() {}

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return partitionCount;
    }
  }

  private static PartitionMapper create(String simpleName, Config config) {
    return Mappers.create(new MapperSpec.Custom(PREFIX + simpleName, config));
  }

  /** The message building a mapper of {@code className} fails with, checked to be what checking it says. */
  private static String rejection(String className) {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Mappers.create(new MapperSpec.Custom(className, ConfigFactory.empty()), LOADER));
    assertEquals(Optional.of(e.getMessage()), Mappers.checkCustom(className, LOADER), "check and create agree");
    return e.getMessage();
  }

  @Test
  void aConfigConstructorGetsTheMappersOwnBlock() {
    PartitionMapper mapper = create("OffsetMapper", ConfigFactory.parseString("offset = 3"));
    assertEquals(4, mapper.partitionOf(1, 10));
    assertEquals(2, mapper.partitionOf(9, 10));
    assertEquals(Optional.empty(), Mappers.checkCustom(PREFIX + "OffsetMapper"));
  }

  @Test
  void aConfigConstructorGetsTheWholeMapperBlockAsTheSettingsReadIt() {
    var settings = CohortSettings.fromConfig(ConfigFactory.parseString(
        SETTINGS + "cohort.partition-groups.audit.mapper { type = custom, class = \"" + PREFIX + "WholeBlockMapper\" }"));
    assertEquals(1, Mappers.create(settings.partitionGroups().get("audit").mapper()).partitionOf("k", 16));
  }

  @Test
  void aNoArgConstructorIsUsedWhenThereIsNoConfigOne() {
    assertEquals(15, create("LastMapper", ConfigFactory.empty()).partitionOf("anything", 16));
    assertEquals(Optional.empty(), Mappers.checkCustom(PREFIX + "LastMapper"));
  }

  @Test
  void theConfigConstructorIsPreferred() {
    assertEquals(1, create("BothConstructorsMapper", ConfigFactory.empty()).partitionOf("k", 16));
  }

  @Test
  void aClassThatIsNotAMapperIsRejected() {
    assertEquals("custom mapper class '" + PREFIX + "NotAMapper' does not implement dev.cohort.api.PartitionMapper;"
        + " name a class that does", rejection(PREFIX + "NotAMapper"));
  }

  @Test
  void aMissingClassIsRejected() {
    assertEquals("custom mapper class 'com.example.NoSuchMapper' was not found; check the name (fully qualified, with"
        + " '$' before a nested class's name: com.example.Outer$Mapper) and that its jar is on the class path",
        rejection("com.example.NoSuchMapper"));
  }

  @Test
  void aClassThatCannotBeLoadedIsRejectedWithTheLinkageError() {
    assertEquals("custom mapper class 'com.example.BrokenMapper' cannot be loaded:"
        + " java.lang.NoClassDefFoundError: com/example/MissingDependency", rejection(BROKEN));
  }

  @Test
  void aClassWithoutAUsableConstructorIsRejected() {
    assertEquals("custom mapper class '" + PREFIX + "StringConstructorMapper' has no public constructor taking a"
        + " com.typesafe.config.Config (the mapper's block) or no arguments; add one",
        rejection(PREFIX + "StringConstructorMapper"));
  }

  @Test
  void classesThatCannotBeInstantiatedAreRejected() {
    assertEquals("custom mapper class '" + PREFIX + "AbstractMapper' is abstract; name a concrete class",
        rejection(PREFIX + "AbstractMapper"));
    assertEquals("custom mapper class 'dev.cohort.api.PartitionMapper' is an interface; name a concrete class",
        rejection("dev.cohort.api.PartitionMapper"));
    assertEquals("custom mapper class '" + PREFIX + "PackagePrivateMapper' is not public; make it public",
        rejection(PREFIX + "PackagePrivateMapper"));
    assertEquals("custom mapper class '" + PREFIX + "InnerMapper' is an inner (non-static nested) class;"
        + " declare it static", rejection(PREFIX + "InnerMapper"));
  }

  @Test
  void aBlankClassNameIsRejected() {
    assertEquals("a custom mapper needs the name of a class implementing dev.cohort.api.PartitionMapper:"
        + " mapper { type = custom, class = \"com.example.MyMapper\" }", rejection(" "));
  }

  /** The settings refuse a class at its key with the very sentence that building the mapper would throw. */
  @ParameterizedTest
  @ValueSource(strings = {
      " ", "com.example.NoSuchMapper", BROKEN, "dev.cohort.api.PartitionMapper", PREFIX + "NotAMapper",
      PREFIX + "AbstractMapper", PREFIX + "PackagePrivateMapper", PREFIX + "InnerMapper",
      PREFIX + "StringConstructorMapper"})
  void theSettingsAndTheMappersRefuseABadClassWithTheSameSentence(String className) {
    Config config = ConfigFactory.parseString(SETTINGS + "cohort.partition-groups.audit.mapper.type = custom")
        .withValue("cohort.partition-groups.audit.mapper.class", ConfigValueFactory.fromAnyRef(className));
    var refused = assertThrows(ConfigurationException.class, () -> CohortSettings.fromConfig(config, LOADER));
    assertEquals("cohort.partition-groups.audit.mapper.class: " + rejection(className), refused.getMessage());
  }

  @Test
  void aFailingConstructorIsReportedWithItsCause() {
    var e = assertThrows(IllegalArgumentException.class, () -> create("ThrowingMapper", ConfigFactory.empty()));
    assertEquals("custom mapper class '" + PREFIX + "ThrowingMapper' failed in its constructor:"
        + " java.lang.IllegalStateException: no region configured", e.getMessage());
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }

  @Test
  void checkingDoesNotInitializeTheClassButCreatingReportsItsFailure() {
    assertEquals(Optional.empty(), Mappers.checkCustom(PREFIX + "BrokenStaticMapper"));
    var e = assertThrows(IllegalArgumentException.class, () -> create("BrokenStaticMapper", ConfigFactory.empty()));
    assertTrue(e.getMessage().startsWith("custom mapper class '" + PREFIX + "BrokenStaticMapper' failed in its static"
        + " initializer: java.lang.NumberFormatException"), e.getMessage());
  }

  @Test
  void anIndexOutOfRangeFailsRatherThanMisroutes() {
    PartitionMapper mapper = create("OutOfRangeMapper", ConfigFactory.empty());
    var e = assertThrows(IllegalStateException.class, () -> mapper.partitionOf("k", 16));
    assertEquals("custom mapper class '" + PREFIX + "OutOfRangeMapper' returned partition 16 for a key of type"
        + " java.lang.String, outside [0, 16)", e.getMessage());
  }

  @Test
  void customMappersGetTheSamePreconditionsAsBuiltInOnes() {
    PartitionMapper mapper = create("LastMapper", ConfigFactory.empty());
    assertThrows(NullPointerException.class, () -> mapper.partitionOf(null, 16));
    assertThrows(IllegalArgumentException.class, () -> mapper.partitionOf("k", 0));
    assertEquals("custom(" + PREFIX + "LastMapper)", mapper.toString());
  }

  @Test
  void aContextClassLoaderThatCannotSeeTheClassFallsBackToCohortsLoader() {
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
    try {
      assertFalse(canLoad(ClassLoader.getPlatformClassLoader(), PREFIX + "LastMapper"));
      assertEquals(15, create("LastMapper", ConfigFactory.empty()).partitionOf("k", 16));
    } finally {
      thread.setContextClassLoader(saved);
    }
  }

  @Test
  void anExplicitClassLoaderIsTheOnlyOneAsked() {
    ClassLoader platform = ClassLoader.getPlatformClassLoader();
    String name = PREFIX + "LastMapper";
    assertTrue(Mappers.checkCustom(name, platform).orElseThrow().contains("was not found"));
    var spec = new MapperSpec.Custom(name, ConfigFactory.empty());
    assertThrows(IllegalArgumentException.class, () -> Mappers.create(spec, platform));
    ClassLoader own = CustomMapperTest.class.getClassLoader();
    assertEquals(Optional.empty(), Mappers.checkCustom(name, own));
    assertEquals(15, Mappers.create(spec, own).partitionOf("k", 16));
  }

  private static boolean canLoad(ClassLoader loader, String name) {
    try {
      Class.forName(name, false, loader);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
