package dev.cohort.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The one check of a custom mapper class, as a table of class names and the sentence each is refused with. */
class CustomMapperClassTest {
  static final String TEST_MAPPERS = TestMappers.class.getName() + "$";

  /** Loads nothing by this name, as a loader fails when a class's superclass or interface is missing. */
  static final String BROKEN = "com.example.BrokenMapper";

  /** Test classes as usual, but {@link #BROKEN} fails to link. */
  static final ClassLoader LOADER = new ClassLoader(CustomMapperClassTest.class.getClassLoader()) {
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.equals(BROKEN)) {
        throw new NoClassDefFoundError("com/example/MissingDependency");
      }
      return super.loadClass(name, resolve);
    }
  };

  /** A class name and the sentence that refuses it, whichever path checks it. */
  record Refusal(String className, String problem) {
    @Override
    public String toString() {
      return "'" + className + "'";
    }
  }

  static List<Refusal> refusals() {
    String noName = "a custom mapper needs the name of a class implementing dev.cohort.api.PartitionMapper:"
        + " mapper { type = custom, class = \"com.example.MyMapper\" }";
    return List.of(
        new Refusal(null, noName),
        new Refusal("  ", noName),
        new Refusal("com.example.Nope", "custom mapper class 'com.example.Nope' was not found; check the name (fully"
            + " qualified, with '$' before a nested class's name: com.example.Outer$Mapper) and that its jar is on the"
            + " class path"),
        new Refusal(BROKEN, "custom mapper class 'com.example.BrokenMapper' cannot be loaded:"
            + " java.lang.NoClassDefFoundError: com/example/MissingDependency"),
        refusal("NotAMapper", "does not implement dev.cohort.api.PartitionMapper; name a class that does"),
        new Refusal("dev.cohort.api.PartitionMapper",
            "custom mapper class 'dev.cohort.api.PartitionMapper' is an interface; name a concrete class"),
        refusal("SubInterface", "is an interface; name a concrete class"),
        refusal("Abstract", "is abstract; name a concrete class"),
        refusal("NotPublic", "is not public; make it public"),
        refusal("Inner", "is an inner (non-static nested) class; declare it static"),
        refusal("WrongConstructor", "has no public constructor taking a com.typesafe.config.Config (the mapper's"
            + " block) or no arguments; add one"),
        refusal("PrivateConstructor", "has no public constructor taking a com.typesafe.config.Config (the mapper's"
            + " block) or no arguments; add one"));
  }

  private static Refusal refusal(String simpleName, String problem) {
    return new Refusal(TEST_MAPPERS + simpleName, "custom mapper class '" + TEST_MAPPERS + simpleName + "' " + problem);
  }

  private static CustomMapperClass.Usable usable(String simpleName) {
    return assertInstanceOf(
        CustomMapperClass.Usable.class, CustomMapperClass.resolve(TEST_MAPPERS + simpleName, LOADER));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void eachUnusableClassIsRefusedWithItsOwnSentence(Refusal refusal) {
    CustomMapperClass resolved = CustomMapperClass.resolve(refusal.className(), LOADER);
    assertEquals(new CustomMapperClass.Unusable(refusal.problem()), resolved);
    var e = assertThrows(IllegalArgumentException.class, resolved::orElseThrow);
    assertEquals(refusal.problem(), e.getMessage());
  }

  @Test
  void theConfigConstructorIsPreferredToTheNoArgOne() throws NoSuchMethodException {
    assertEquals(TestMappers.WithConfig.class.getConstructor(Config.class), usable("WithConfig").constructor());
    assertTrue(usable("WithConfig").takesConfig());
    assertEquals(TestMappers.BothConstructors.class.getConstructor(Config.class),
        usable("BothConstructors").constructor());
    assertEquals(TestMappers.NoArgs.class.getConstructor(), usable("NoArgs").constructor());
    assertFalse(usable("NoArgs").takesConfig());
  }

  @Test
  void resolvingDoesNotInitializeTheClass() {
    // ExplodesOnInit's static initializer throws: initializing it would fail this resolve
    CustomMapperClass.Usable usable = usable("ExplodesOnInit");
    assertSame(usable, usable.orElseThrow());
  }

  @Test
  void aUsableIsOnlyMadeOfAnAcceptedPublicConstructor() throws NoSuchMethodException {
    var wrong = TestMappers.WrongConstructor.class.getConstructor(String.class);
    assertThrows(IllegalArgumentException.class, () -> new CustomMapperClass.Usable(wrong));
    var hidden = TestMappers.PrivateConstructor.class.getDeclaredConstructor();
    assertThrows(IllegalArgumentException.class, () -> new CustomMapperClass.Usable(hidden));
  }

  @Test
  void anExplicitLoaderIsTheOnlyOneAsked() {
    ClassLoader platform = ClassLoader.getPlatformClassLoader();
    String name = TEST_MAPPERS + "NoArgs";
    assertEquals(new CustomMapperClass.Unusable("custom mapper class '" + name + "' was not found; check the name"
        + " (fully qualified, with '$' before a nested class's name: com.example.Outer$Mapper) and that its jar is on"
        + " the class path"), CustomMapperClass.resolve(name, platform));
  }

  @Test
  void withoutALoaderTheContextLoaderIsAskedFirst() {
    // only LOADER knows BROKEN: its failure shows that the context loader was asked
    CustomMapperClass resolved = withContextLoader(LOADER, () -> CustomMapperClass.resolve(BROKEN, null));
    assertEquals(new CustomMapperClass.Unusable("custom mapper class 'com.example.BrokenMapper' cannot be loaded:"
        + " java.lang.NoClassDefFoundError: com/example/MissingDependency"), resolved);
  }

  @Test
  void withoutALoaderCohortsOwnLoaderIsAskedWhenTheContextLoaderCannotSeeTheClass() {
    ClassLoader platform = ClassLoader.getPlatformClassLoader();
    CustomMapperClass resolved = withContextLoader(
        platform, () -> CustomMapperClass.resolve(TEST_MAPPERS + "NoArgs", null));
    assertInstanceOf(CustomMapperClass.Usable.class, resolved);
    assertInstanceOf(CustomMapperClass.Unusable.class, CustomMapperClass.resolve(TEST_MAPPERS + "NoArgs", platform),
        "the platform loader must not see the test classes, or this test proves nothing");
  }

  private static CustomMapperClass withContextLoader(
      ClassLoader loader, Supplier<CustomMapperClass> action) {
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return action.get();
    } finally {
      thread.setContextClassLoader(saved);
    }
  }
}
