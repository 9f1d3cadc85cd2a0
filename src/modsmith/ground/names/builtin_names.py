"""Names that are never "invented": C keywords, the C standard library, GCC builtins, C# and its BCL.

These are plain frozensets so a check is one set lookup. They list names a snippet may use
without the repository declaring them: a decomp built with `-nostdinc` still writes `sizeof`,
`memcpy` or `__builtin_expect`, and a Unity script uses `List<T>`, `Math` and `IEnumerator`.
The Unity API itself is not here: `unity_stub_names()` reads it from the stub sources that the
C# compile check compiles, so the two agree.
"""

from __future__ import annotations

from functools import cache

#: C keywords and keyword-like operators that tree-sitter may show as calls (`sizeof(x)`).
C_KEYWORDS = frozenset(
    """
    auto break case char const continue default do double else enum extern float for goto if inline
    int long register restrict return short signed sizeof static struct switch typedef union unsigned
    void volatile while _Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn
    _Static_assert _Thread_local alignas alignof bool static_assert thread_local typeof typeof_unqual
    asm __asm __asm__ __attribute __attribute__ __extension__ __inline __inline__ __restrict
    __restrict__ __volatile__ __const __const__ __signed __signed__ __typeof __typeof__ __alignof
    __alignof__ __label__ __thread __int128 __auto_type __real__ __imag__ _Pragma defined
    """.split()
)

#: Functions, macros, types and constants of the C standard headers (C99/C11, hosted).
C_STDLIB = frozenset(
    """
    assert static_assert NDEBUG
    isalnum isalpha isblank iscntrl isdigit isgraph islower isprint ispunct isspace isupper isxdigit
    tolower toupper
    errno EDOM ERANGE EILSEQ
    FLT_MAX FLT_MIN FLT_EPSILON FLT_DIG FLT_MANT_DIG DBL_MAX DBL_MIN DBL_EPSILON DBL_DIG LDBL_MAX
    LDBL_MIN LDBL_EPSILON FLT_RADIX
    CHAR_BIT CHAR_MAX CHAR_MIN SCHAR_MAX SCHAR_MIN UCHAR_MAX SHRT_MAX SHRT_MIN USHRT_MAX INT_MAX
    INT_MIN UINT_MAX LONG_MAX LONG_MIN ULONG_MAX LLONG_MAX LLONG_MIN ULLONG_MAX MB_LEN_MAX
    setlocale localeconv LC_ALL LC_NUMERIC
    acos asin atan atan2 cos sin tan acosh asinh atanh cosh sinh tanh exp exp2 expm1 frexp ldexp log
    log10 log1p log2 logb modf scalbn cbrt fabs hypot pow sqrt erf erfc lgamma tgamma ceil floor
    nearbyint rint lrint llrint round lround llround trunc fmod remainder remquo copysign nan
    nextafter fdim fmax fmin fma acosf asinf atanf atan2f cosf sinf tanf expf logf log10f log2f powf
    sqrtf fabsf floorf ceilf roundf truncf fmodf fminf fmaxf hypotf cbrtf copysignf
    HUGE_VAL HUGE_VALF INFINITY NAN M_PI M_PI_2 M_PI_4 M_E M_SQRT2 M_LN2
    isnan isinf isfinite isnormal signbit fpclassify
    setjmp longjmp jmp_buf
    signal raise sig_atomic_t SIGABRT SIGFPE SIGILL SIGINT SIGSEGV SIGTERM SIG_DFL SIG_IGN
    va_list va_start va_arg va_end va_copy __builtin_va_list
    bool true false __bool_true_false_are_defined
    size_t ptrdiff_t wchar_t max_align_t NULL offsetof
    int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t intptr_t uintptr_t intmax_t
    uintmax_t int_least8_t int_least16_t int_least32_t int_least64_t uint_least8_t uint_least16_t
    uint_least32_t uint_least64_t int_fast8_t int_fast16_t int_fast32_t int_fast64_t uint_fast8_t
    uint_fast16_t uint_fast32_t uint_fast64_t INT8_MAX INT16_MAX INT32_MAX INT64_MAX INT8_MIN
    INT16_MIN INT32_MIN INT64_MIN UINT8_MAX UINT16_MAX UINT32_MAX UINT64_MAX SIZE_MAX INTPTR_MAX
    UINTPTR_MAX PTRDIFF_MAX INT8_C INT16_C INT32_C INT64_C UINT8_C UINT16_C UINT32_C UINT64_C
    PRId8 PRId16 PRId32 PRId64 PRIu8 PRIu16 PRIu32 PRIu64 PRIx8 PRIx16 PRIx32 PRIx64 PRIX32 PRIX64
    FILE fpos_t EOF BUFSIZ SEEK_SET SEEK_CUR SEEK_END stdin stdout stderr
    printf fprintf sprintf snprintf vprintf vfprintf vsprintf vsnprintf scanf fscanf sscanf
    fopen freopen fclose fflush fread fwrite fgetc fgets fputc fputs getc getchar gets putc putchar
    puts ungetc fseek ftell rewind fgetpos fsetpos feof ferror clearerr perror remove rename tmpfile
    tmpnam setbuf setvbuf
    malloc calloc realloc free aligned_alloc abort exit atexit quick_exit at_quick_exit _Exit getenv
    system abs labs llabs div ldiv lldiv atoi atol atoll atof strtol strtoll strtoul strtoull strtof
    strtod strtold rand srand RAND_MAX qsort bsearch EXIT_SUCCESS EXIT_FAILURE div_t ldiv_t
    memcpy memmove memset memcmp memchr strcpy strncpy strcat strncat strcmp strncmp strcoll strxfrm
    strchr strrchr strstr strspn strcspn strpbrk strtok strlen strerror strdup strndup strnlen bzero
    bcopy
    time clock difftime mktime strftime gmtime localtime asctime ctime time_t clock_t tm
    CLOCKS_PER_SEC
    wint_t mbstate_t char16_t char32_t
    """.split()
)

#: GCC builtins and predefined identifiers/macros (any `__builtin_*` name is accepted as well).
GCC_BUILTINS = frozenset(
    """
    __builtin_expect __builtin_unreachable __builtin_trap __builtin_constant_p __builtin_offsetof
    __builtin_types_compatible_p __builtin_choose_expr __builtin_memcpy __builtin_memset
    __builtin_memmove __builtin_memcmp __builtin_strlen __builtin_strcmp __builtin_abs
    __builtin_fabs __builtin_fabsf __builtin_sqrt __builtin_sqrtf __builtin_clz __builtin_ctz
    __builtin_popcount __builtin_bswap16 __builtin_bswap32 __builtin_bswap64 __builtin_va_start
    __builtin_va_end __builtin_va_arg __builtin_va_copy __builtin_alloca __builtin_return_address
    __builtin_frame_address __builtin_prefetch __builtin_assume_aligned __builtin_object_size
    __builtin_add_overflow __builtin_sub_overflow __builtin_mul_overflow __builtin_inf
    __builtin_inff __builtin_nan __builtin_nanf __builtin_huge_val __builtin_isnan
    __builtin_isinf __builtin_classify_type __builtin_mips_cache
    __FILE__ __LINE__ __func__ __FUNCTION__ __PRETTY_FUNCTION__ __DATE__ __TIME__ __COUNTER__
    __VA_ARGS__ __VA_OPT__ __STDC__ __STDC_VERSION__ __STDC_HOSTED__ __GNUC__ __GNUC_MINOR__
    __GNUC_PATCHLEVEL__ __BASE_FILE__ __INCLUDE_LEVEL__ __has_include __has_include_next
    __has_attribute __has_builtin __SIZEOF_INT__ __SIZEOF_LONG__ __SIZEOF_POINTER__ __CHAR_BIT__
    __INT_MAX__ __LONG_MAX__ __BYTE_ORDER__ __ORDER_BIG_ENDIAN__ __ORDER_LITTLE_ENDIAN__
    __mips __mips__ _MIPS_SIM _ABIO32 _MIPS_SZINT _MIPS_SZLONG _MIPS_SZPTR _LANGUAGE_C
    __attribute_used__ aligned packed unused used noreturn section weak alias always_inline
    noinline format deprecated fallthrough
    """.split()
)

#: Everything a C snippet may use without the repository declaring it.
C_BUILTIN_NAMES = C_KEYWORDS | C_STDLIB | GCC_BUILTINS

#: C# keywords and contextual keywords.
CSHARP_KEYWORDS = frozenset(
    """
    abstract as base bool break byte case catch char checked class const continue decimal default
    delegate do double else enum event explicit extern false finally fixed float for foreach goto if
    implicit in int interface internal is lock long namespace new null object operator out override
    params private protected public readonly ref return sbyte sealed short sizeof stackalloc static
    string struct switch this throw true try typeof uint ulong unchecked unsafe ushort using virtual
    void volatile while
    add alias and ascending async await by descending dynamic equals from get global group init into
    join let managed nameof nint not notnull nuint on or orderby partial record remove required
    select set unmanaged value var when where with yield file scoped args
    """.split()
)

#: BCL namespaces, types and common members that Unity scripts use (System, Collections, Linq...).
CSHARP_BCL_NAMES = frozenset(
    """
    System Collections Generic Linq Text IO Threading Tasks Diagnostics Globalization Reflection
    Runtime CompilerServices Serialization InteropServices ObjectModel Specialized Concurrent
    Object String Boolean Char Byte SByte Int16 UInt16 Int32 UInt32 Int64 UInt64 Single Double
    Decimal IntPtr UIntPtr Void DateTime TimeSpan Guid Uri Version Nullable Tuple ValueTuple Lazy
    Array Enum Type Attribute Delegate MulticastDelegate EventArgs EventHandler Action Func Predicate
    Comparison Converter Math MathF Convert BitConverter Buffer Environment GC Console Random
    StringBuilder StringComparison StringComparer StringSplitOptions Encoding Regex Match
    CultureInfo NumberStyles Stopwatch Debug Trace
    Exception ArgumentException ArgumentNullException ArgumentOutOfRangeException
    InvalidOperationException NotImplementedException NotSupportedException NullReferenceException
    IndexOutOfRangeException KeyNotFoundException InvalidCastException FormatException
    OverflowException DivideByZeroException ObjectDisposedException TimeoutException
    IOException FileNotFoundException OperationCanceledException AggregateException
    IEnumerable IEnumerator ICollection IList IDictionary IReadOnlyList IReadOnlyCollection
    IReadOnlyDictionary ISet IComparer IEqualityComparer IComparable IEquatable IDisposable
    ICloneable IFormattable IAsyncResult IObservable IObserver
    List Dictionary HashSet SortedSet SortedDictionary SortedList Queue Stack LinkedList
    LinkedListNode KeyValuePair ArrayList Hashtable BitArray ReadOnlyCollection ObservableCollection
    ConcurrentDictionary ConcurrentQueue ConcurrentBag Enumerable Comparer EqualityComparer
    Task CancellationToken CancellationTokenSource Thread Monitor Interlocked Mutex Semaphore
    SemaphoreSlim Timer ThreadPool Parallel
    File Directory Path FileInfo DirectoryInfo Stream FileStream MemoryStream StreamReader
    StreamWriter BinaryReader BinaryWriter TextReader TextWriter StringReader StringWriter FileMode
    FileAccess SearchOption
    Serializable NonSerialized Obsolete Flags Conditional AttributeUsage AttributeTargets
    CallerMemberName CallerFilePath CallerLineNumber MethodImpl MethodImplOptions StructLayout
    LayoutKind FieldOffset DllImport MarshalAs Marshal
    ToString Equals GetHashCode GetType ReferenceEquals CompareTo Dispose Clone MemberwiseClone
    Finalize Invoke BeginInvoke EndInvoke DynamicInvoke GetInvocationList
    Length Count Capacity Keys Values Key Value Item Current MoveNext Reset HasValue GetValueOrDefault
    Add AddRange Insert InsertRange Remove RemoveAt RemoveAll RemoveRange Clear Contains
    ContainsKey ContainsValue TryGetValue TryAdd IndexOf LastIndexOf Find FindAll FindIndex
    FindLast Exists TrueForAll ForEach Sort Reverse ToArray ToList ToDictionary ToHashSet
    CopyTo GetRange BinarySearch AsReadOnly ConvertAll Enqueue Dequeue Peek Push Pop TryDequeue
    TryPeek TryPop UnionWith IntersectWith ExceptWith IsSubsetOf Overlaps GetEnumerator
    Where Select SelectMany First FirstOrDefault Last LastOrDefault Single SingleOrDefault Any All
    Sum Min Max Average Aggregate OrderBy OrderByDescending ThenBy ThenByDescending GroupBy Join
    Distinct Skip Take SkipWhile TakeWhile Concat Zip Cast OfType Range Repeat Empty Union
    Intersect Except SequenceEqual ElementAt ElementAtOrDefault DefaultIfEmpty AsEnumerable
    Format Concat Join Split Substring Trim TrimStart TrimEnd Replace StartsWith EndsWith
    IsNullOrEmpty IsNullOrWhiteSpace ToUpper ToLower ToUpperInvariant ToLowerInvariant PadLeft
    PadRight ToCharArray Compare CompareOrdinal Append AppendLine AppendFormat Chars Empty
    Parse TryParse MaxValue MinValue Epsilon NaN PositiveInfinity NegativeInfinity IsNaN
    IsInfinity Abs Sqrt Pow Exp Log Log10 Floor Ceiling Round Truncate Sign Clamp Sin Cos Tan Asin
    Acos Atan Atan2 Sinh Cosh Tanh PI E ToInt32 ToSingle ToDouble ToBoolean ToByte ToChar ToInt64
    GetValues GetNames GetName IsDefined HasFlag ToObject Now UtcNow Today Ticks TotalSeconds
    TotalMilliseconds FromSeconds FromMilliseconds Elapsed ElapsedMilliseconds StartNew Start Stop
    Restart ReadAllText ReadAllLines ReadAllBytes WriteAllText WriteAllLines WriteAllBytes Combine
    GetFileName GetExtension GetDirectoryName GetFileNameWithoutExtension GetFullPath Exists
    CreateDirectory GetFiles ReadLine ReadToEnd WriteLine Write Close Flush Read Message
    InnerException StackTrace Delay Run WhenAll WhenAny Wait Result Sleep CompletedTask FromResult
    ConfigureAwait IsCompleted Cancel IsCancellationRequested NewGuid Next NextDouble
    """.split()
)

#: Everything a C# snippet may use without the repository or the Unity API declaring it.
CSHARP_BUILTIN_NAMES = CSHARP_KEYWORDS | CSHARP_BCL_NAMES


def is_c_builtin(name: str) -> bool:
    """True for C keywords, standard library and GCC builtin names (any `__builtin_*` too)."""
    return name in C_BUILTIN_NAMES or name.startswith("__builtin_")


@cache
def unity_stub_names() -> frozenset[str]:
    """Type and member names of the bundled UnityEngine stub sources (`ground/csharp/unity_stubs/*.cs`).

    Pass them as `extra_known` to `check_names` so the Unity API is not reported as invented;
    whether a member really exists on the type is the C# compile check's job.
    """
    from modsmith.code.csharp_symbols import iter_csharp_symbols
    from modsmith.code.languages import code_parser
    from modsmith.ground.csharp.compile_csharp import STUB_DIR

    names: set[str] = set()
    for path in sorted(STUB_DIR.glob("*.cs")):
        source = path.read_bytes()
        tree = code_parser("csharp").parse(source)
        for symbol in iter_csharp_symbols(tree.root_node, source):
            names.add(symbol.name)
            namespace = symbol.extra.get("namespace")
            if namespace:
                names.update(namespace.split("."))
    # Attributes are written without their `Attribute` suffix.
    names.update(n.removesuffix("Attribute") for n in list(names) if n.endswith("Attribute"))
    return frozenset(names)
