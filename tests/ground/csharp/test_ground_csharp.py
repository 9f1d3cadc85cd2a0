"""The Unity C# compile check: our UnityEngine stubs, failure classes, caching, containment."""

import shutil
import subprocess
from pathlib import Path

import pytest

if shutil.which("mcs") is None:
    pytest.skip("mcs (apt-get install mono-mcs) is not installed", allow_module_level=True)

from modsmith.errors import ModsmithError
from modsmith.ground.csharp import compile_csharp
from modsmith.ground.csharp.compile_csharp import build_stub_assembly, csharp_check, unity_references
from modsmith.ground.csharp.csharp_syntax import scan_source
from modsmith.ground.sandbox import SandboxLimits


@pytest.fixture(autouse=True, scope="module")
def stub_cache(tmp_path_factory):
    """Keep the stub assembly cache out of the home directory."""
    root = tmp_path_factory.mktemp("modsmith-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MODSMITH_CACHE", str(root))
        yield root


COIN = """\
using System.Collections;
using UnityEngine;
using UnityEngine.SceneManagement;

[RequireComponent(typeof(Rigidbody))]
public class SpinningCoin : MonoBehaviour
{
    [SerializeField] private float speed = 90f;
    [SerializeField] private AudioClip pickupSound;
    private AudioSource audioSource;

    void Start()
    {
        audioSource = GetComponent<AudioSource>();
    }

    void Update()
    {
        transform.Rotate(Vector3.up * speed * Time.deltaTime);
    }

    void OnTriggerEnter(Collider other)
    {
        if (other.CompareTag("Player"))
        {
            audioSource.PlayOneShot(pickupSound);
            StartCoroutine(Collect());
        }
    }

    IEnumerator Collect()
    {
        yield return new WaitForSeconds(0.5f);
        Destroy(gameObject);
        SceneManager.LoadScene("Level2");
    }
}
"""

PLATFORMER = """\
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using UnityEngine;
using UnityEngine.Events;
using UnityEngine.UI;
using Random = UnityEngine.Random;

[DisallowMultipleComponent]
[RequireComponent(typeof(Rigidbody2D), typeof(Animator))]
public class Hopper : MonoBehaviour
{
    [Header("Movement")]
    [Tooltip("Units per second")] [Range(0f, 20f)] [SerializeField] float runSpeed = 6f;
    [Space] [Space(8)] [Min(0)] public float hopImpulse = 9f;
    [HideInInspector] public bool onGround;
    [TextArea(2, 4)] public string note;
    public LayerMask groundLayers;
    public UnityEvent landed = new UnityEvent();
    public UnityEvent<int> gemsChanged;
    public Text gemLabel;
    public Button retry;

    Rigidbody2D body;
    Animator animator;
    SpriteRenderer sprite;
    readonly List<GameObject> gems = new List<GameObject>();
    static readonly int RunHash = Animator.StringToHash("Run");
    int gemCount;

    void Awake()
    {
        body = GetComponent<Rigidbody2D>();
        animator = GetComponent<Animator>();
        TryGetComponent(out sprite);
        retry.onClick.AddListener(() => Debug.Log("retry"));
    }

    void Update()
    {
        float x = Input.GetAxisRaw("Horizontal");
        body.velocity = new Vector2(x * runSpeed, body.velocity.y);
        if (Input.GetButtonDown("Jump") && onGround)
            body.AddForce(Vector2.up * hopImpulse, ForceMode2D.Impulse);
        if (Input.GetKeyDown(KeyCode.Escape)) Application.Quit();
        animator.SetFloat(RunHash, Mathf.Abs(x));
        animator.SetBool("Grounded", onGround);
        if (x != 0) sprite.flipX = x < 0;

        RaycastHit2D below = Physics2D.Raycast(transform.position, Vector2.down, 1.1f, groundLayers);
        onGround = below;
        var nearby = Physics2D.OverlapCircleAll(transform.position, 2f);
        foreach (var near in nearby.Where(c => c.CompareTag("Gem")))
            gems.Add(near.gameObject);

        gemLabel.text = "Gems: " + gemCount;
        Vector3 cursor = Camera.main.ScreenToWorldPoint(Input.mousePosition);
        transform.localScale = Vector3.Lerp(transform.localScale, Vector3.one, Time.deltaTime);
        transform.rotation = Quaternion.Slerp(transform.rotation, Quaternion.Euler(0f, 0f, cursor.x), 0.1f);
        if (Physics.Raycast(transform.position, Vector3.forward, out RaycastHit hit, 50f))
            Debug.DrawLine(transform.position, hit.point, Color.red);
        foreach (Transform child in transform)
            child.gameObject.SetActive(Random.value > 0.5f);
    }

    void OnCollisionEnter2D(Collision2D collision)
    {
        if (collision.gameObject.CompareTag("Floor")) landed.Invoke();
    }

    void OnTriggerEnter2D(Collider2D other)
    {
        gemCount++;
        gemsChanged.Invoke(gemCount);
        PlayerPrefs.SetInt("gems", gemCount);
        Destroy(other.gameObject, 0.1f);
        StartCoroutine(Flash());
    }

    IEnumerator Flash()
    {
        sprite.color = Color.Lerp(Color.white, new Color(1f, 0.8f, 0.2f), 0.5f);
        yield return new WaitForSecondsRealtime(0.2f);
        yield return new WaitUntil(() => Time.timeScale > 0f);
        sprite.color = Color.white;
    }

    void OnDrawGizmos()
    {
        Gizmos.color = Color.yellow;
        Gizmos.DrawWireSphere(transform.position, 2f);
    }
}
"""


def behaviour(body: str) -> str:
    """A MonoBehaviour with `body` as its members."""
    return "using UnityEngine;\n\npublic class Probe : MonoBehaviour\n{\n" + body + "\n}\n"


def test_good_monobehaviour_passes():
    result = csharp_check(COIN)
    assert result.passed, result.compiler_output
    assert result.failure_class is None
    assert result.errors == [] and result.unknown_api == []


def test_broad_unity_script_passes_against_the_stubs():
    result = csharp_check(PLATFORMER)
    assert result.passed, result.compiler_output


def test_misspelled_method_is_an_invented_name_on_transform():
    result = csharp_check(COIN.replace("transform.Rotate(", "transform.Rotatee("))
    assert not result.passed
    assert result.failure_class == "invented_name"
    assert [(api.name, api.on, api.code) for api in result.unknown_api] == [
        ("Rotatee", "UnityEngine.Transform", "CS1061")
    ]
    assert result.unknown_api[0].line == 19
    assert result.errors[0].code == "CS1061"


def test_misspelled_property_is_an_invented_name():
    result = csharp_check(behaviour("void Start() { GetComponent<Rigidbody>().velocityy = Vector3.zero; }"))
    assert result.failure_class == "invented_name"
    assert [(api.name, api.on) for api in result.unknown_api] == [("velocityy", "UnityEngine.Rigidbody")]


def test_invented_type_is_an_invented_name():
    result = csharp_check(behaviour("FooController controller;\nvoid Start() { controller = null; }"))
    assert result.failure_class == "invented_name"
    assert ("FooController", None, "CS0246") in [(a.name, a.on, a.code) for a in result.unknown_api]


def test_wrong_argument_count_is_wrong_arguments_not_an_invented_name():
    result = csharp_check(behaviour("void Update() { transform.Rotate(1f, 2f, 3f, Space.World, 5f); }"))
    assert result.failure_class == "wrong_arguments"
    assert [e.code for e in result.errors] == ["CS1501"]
    assert result.unknown_api == []  # Rotate exists; the call is wrong


@pytest.mark.parametrize(
    ("member", "code"),
    [
        ('void Start() { transform.Rotate("fast"); }', "CS1502"),
        ("void Start() { var v = new Vector3(1f, 2f, 3f, 4f, 5f); }", "CS1729"),
        ("void Start() { Mathf.Clamp(1f); }", "CS1501"),
        ("void Start() { float f = Mathf.Max(); }", "CS0121"),
        ('void Hit(int amount) { }\nvoid Start() { Hit("lots"); }', "CS1502"),
    ],
)
def test_overload_mistakes_are_wrong_arguments(member, code):
    result = csharp_check(behaviour(member))
    assert result.failure_class == "wrong_arguments", result.compiler_output
    assert result.errors[0].code == code and result.unknown_api == []


@pytest.mark.parametrize(
    ("usings", "packages"),
    [
        ("using TMPro;", ["com.unity.textmeshpro"]),
        ("using UnityEngine.InputSystem;", ["com.unity.inputsystem"]),
        ("using UnityEngine.Rendering.Universal;", ["com.unity.render-pipelines.universal"]),
        ("using TMPro;\nusing UnityEngine.InputSystem;", ["com.unity.inputsystem", "com.unity.textmeshpro"]),
    ],
)
def test_a_package_namespace_is_needs_package_not_an_invented_name(usings, packages):
    # Widget may come from the missing package: not called invented.
    source = usings + "\n" + behaviour("public Widget label;\nvoid Update() { label.Refresh(); }")
    result = csharp_check(source)
    assert result.failure_class == "needs_package", result.compiler_output
    assert result.packages == packages
    assert result.unknown_api == []
    assert "needs package" in result.detail


def test_a_package_type_named_without_its_using_is_needs_package():
    result = csharp_check(behaviour("public TMPro.TextMeshProUGUI title;\npublic TextMeshProUGUI label;"))
    assert result.failure_class == "needs_package" and result.packages == ["com.unity.textmeshpro"]


def test_an_invented_namespace_is_still_an_invented_name():
    result = csharp_check("using UnityEngine.Teleportation;\n" + behaviour("void Start() { }"))
    assert result.failure_class == "invented_name"
    assert [(a.name, a.on) for a in result.unknown_api] == [("Teleportation", "UnityEngine")]


def test_navmeshagent_without_its_namespace_compiles_as_after_unitys_updater():
    old = behaviour(
        "NavMeshAgent agent;\nvoid Start() { agent = GetComponent<NavMeshAgent>(); }\n"
        "void Update() { agent.SetDestination(Vector3.zero); transform.Rotatee(); }"
    )
    result = csharp_check(old)
    assert [(e.code, e.line) for e in result.errors] == [("CS1061", 7)]  # no line moved
    assert [a.name for a in result.unknown_api] == ["Rotatee"]
    assert csharp_check(old.replace(" transform.Rotatee();", "")).passed
    modern = "using UnityEngine.AI;\n" + old.replace(" transform.Rotatee();", "")
    assert csharp_check(modern).passed  # no ambiguity when the using is there


def test_modifiers_on_interface_members_need_newer_csharp():
    result = csharp_check("public interface IDamageable\n{\n    public void Hit(int amount);\n}\n")
    assert result.failure_class == "needs_newer_csharp", result.compiler_output


def test_stub_gaps_found_in_real_projects_compile():
    source = """\
using UnityEngine;
using UnityEngine.EventSystems;
using UnityEngine.Networking;

public class Gaps : MonoBehaviour
{
    public ParticleSystem sparks;
    public SkinnedMeshRenderer skin;
    public AnimationCurve fade;
    public TextMesh label;
    public HingeJoint2D hinge;
    public Rigidbody2D body;

    void Start()
    {
        sparks.startLifetime = 2f;
        sparks.startColor = Color.red;
        Transform eye = transform.FindChild("Eye");
        Transform root = skin.rootBone ?? skin.bones[0];
        label.text = fade.Evaluate(0.5f).ToString();
        JointMotor2D motor = hinge.motor;
        hinge.motor = motor;
        Vector2 centre = body.worldCenterOfMass;
        body.useAutoMass = true;
        body.sharedMaterial = new PhysicsMaterial2D();
        var filter = new ContactFilter2D();
        filter.useTriggers = true;
        gameObject.AddComponent<TargetJoint2D>().target = centre;
        gameObject.AddComponent<RelativeJoint2D>().linearOffset = centre;
        gameObject.AddComponent<FixedJoint>().breakForce = 10f;
        GetComponent<Collider2D>().density = 1f;
        GetComponent<CustomCollider2D>().SetCustomShapes(new PhysicsShapeGroup2D());
        Rigidbody2D.SlideResults slid = body.Slide(Vector2.right, 0.02f, new Rigidbody2D.SlideMovement());
        if (EventSystem.current.IsPointerOverGameObject()) Application.LoadLevel("Menu");
        StartCoroutine(Fetch());
    }

    System.Collections.IEnumerator Fetch()
    {
        using (UnityWebRequest request = UnityWebRequest.Get("http://127.0.0.1/"))
        {
            yield return request.SendWebRequest();
            Debug.Log(request.downloadHandler.text);
        }
    }

    void OnDrawGizmos()
    {
        Gizmos.DrawMesh(skin.sharedMesh, transform.position);
        Vector2 local;
        var rect = (RectTransform)transform;
        RectTransformUtility.ScreenPointToLocalPointInRectangle(rect, Vector2.zero, null, out local);
    }
}
"""
    result = csharp_check(source)
    assert result.passed, result.compiler_output


def test_overriding_a_unity_message_is_an_invented_name():
    # Start/Update are messages, not virtual methods: `override` finds nothing, as in real Unity.
    result = csharp_check(behaviour("protected override void Start() { }"))
    assert result.failure_class == "invented_name"
    assert [(a.code, a.name, a.on) for a in result.unknown_api] == [("CS0115", "Start", "Probe")]


@pytest.mark.parametrize(
    ("member", "feature"),
    [
        (
            "int Pick(int n)\n{\n    return n switch\n    {\n        0 => 1,\n        _ => 2\n    };\n}",
            "switch expression",
        ),
        ('GameObject target;\nvoid Start() { target ??= new GameObject("t"); }', "??= assignment"),
        ('void Start() { if (GetComponent<Rigidbody>() is not null) Debug.Log("body"); }', "not pattern"),
        (
            "void Start() { object o = this; if (o is null) return; }",
            "constant pattern (is null / is <literal>)",
        ),
        (
            "void Start()\n{\n    int Twice(int v) { return v * 2; }\n    Debug.Log(Twice(4));\n}",
            "local function",
        ),
        ("System.Collections.Generic.List<int> xs = new();", "target-typed new()"),
        ("void Start() { using var stream = new System.IO.MemoryStream(); }", "using declaration"),
    ],
)
def test_newer_csharp_is_told_apart_from_mistakes(member, feature):
    result = csharp_check(behaviour(member))
    assert not result.passed
    assert result.failure_class == "needs_newer_csharp", result.compiler_output
    assert feature in [f.name for f in result.newer_features]
    assert result.unknown_api == []


def test_real_mistake_next_to_a_newer_construct_is_still_reported():
    # mcs reads `nint` (C# 9) as an unknown type; that error is put down to the newer construct,
    # while the misspelt member on another line is a real unknown API.
    result = csharp_check(
        behaviour("void A() { nint handle = 0; }\nvoid Start() { transform.Rotatee(1f, 2f, 3f); }")
    )
    assert result.failure_class == "invented_name"
    assert [a.name for a in result.unknown_api] == ["Rotatee"]
    assert [f.name for f in result.newer_features] == ["native-sized integer"]


def test_missing_semicolon_is_syntax_error():
    result = csharp_check(behaviour("void Start()\n{\n    float x = 1f\n    transform.Rotate(0f, x, 0f);\n}"))
    assert result.failure_class == "syntax_error"
    assert result.newer_features == []
    assert (result.errors[0].code, result.errors[0].line) == ("CS1525", 8)  # at the next statement


def test_string_assigned_to_float_is_type_error():
    result = csharp_check(behaviour('[SerializeField] float speed;\nvoid Start() { speed = "fast"; }'))
    assert result.failure_class == "type_error"
    assert [e.code for e in result.errors] == ["CS0029"]
    assert result.unknown_api == []


def test_random_is_ambiguous_under_using_system_as_in_unity():
    result = csharp_check("using System;\n" + behaviour("void Start() { float f = Random.Range(0f, 1f); }"))
    assert result.failure_class == "type_error"
    assert result.errors[0].code == "CS0104"


def test_space_attribute_and_space_enum_coexist():
    result = csharp_check(
        behaviour(
            "[Space] public int a;\n[Space(12)] public int b;\n"
            "void Update() { transform.Rotate(Vector3.up, 10f, Space.World); }\n"
            "void LateUpdate() { transform.Translate(0f, 1f, 0f, Space.Self); }"
        )
    )
    assert result.passed, result.compiler_output


def test_scan_does_not_flag_csharp_7_constructs():
    source = behaviour(
        "bool A(object o) { return o is string s && s.Length > 0; }\n"
        "bool B(object o) { return o is Component; }\n"
        "int C(int n) { switch (n) { case 3: return 1; default: return 0; } }\n"
        '(int, string) D() { return (1, "x"); }\n'
        "string E(object o) { return o?.ToString() ?? throw new System.ArgumentNullException(); }"
    )
    features, clean = scan_source(source)
    assert features == [] and clean
    assert csharp_check(source).passed


# --- the stub assembly -------------------------------------------------------------------------------


def test_stub_assembly_is_built_once_and_reused(tmp_path, monkeypatch):
    first = build_stub_assembly(tmp_path)
    assert first.is_file() and first.name == "UnityEngine.dll" and first.parent.parent == tmp_path
    stamp = first.stat().st_mtime_ns

    def no_compiler(*args, **kwargs):
        raise AssertionError("the stubs were compiled a second time")

    monkeypatch.setattr(compile_csharp, "run_compiler", no_compiler)
    second = build_stub_assembly(tmp_path)
    assert second == first
    assert second.stat().st_mtime_ns == stamp


def test_stub_cache_follows_modsmith_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MODSMITH_CACHE", str(tmp_path))
    built = build_stub_assembly()
    assert built.is_relative_to(tmp_path / "unity-stubs")


def test_missing_mcs_is_a_user_error(monkeypatch):
    monkeypatch.setattr(compile_csharp.shutil, "which", lambda name: None)
    with pytest.raises(ModsmithError) as caught:
        csharp_check(COIN)
    assert caught.value.message == "mcs not found"
    assert "mono-mcs" in caught.value.hint


# --- a user's Unity install ----------------------------------------------------------------------------

TINY_ENGINE = """\
namespace UnityEngine
{
    public class Object { public string name { get; set; } }
    public class Component : Object { public Transform transform { get { return null; } } }
    public class Transform : Component { public void Spin(float degrees) { } }
    public class Behaviour : Component { public bool enabled { get; set; } }
    public class MonoBehaviour : Behaviour { }
}
"""


@pytest.fixture
def fake_managed(tmp_path) -> Path:
    """A stand-in for <Unity>/Editor/Data/Managed holding a tiny UnityEngine.dll built here."""
    managed = tmp_path / "Editor" / "Data" / "Managed"
    managed.mkdir(parents=True)
    (tmp_path / "TinyEngine.cs").write_text(TINY_ENGINE)
    subprocess.run(
        ["mcs", "-target:library", f"-out:{managed / 'UnityEngine.dll'}", str(tmp_path / "TinyEngine.cs")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return managed


def test_user_managed_dir_is_compiled_against(fake_managed):
    spinner = (
        "using UnityEngine;\n"
        "public class Spinner : MonoBehaviour\n{\n    void Update() { transform.Spin(3f); }\n}"
    )
    assert csharp_check(spinner, unity_managed=fake_managed).passed

    # The stubs know Rotate; this tiny engine does not, so the managed dir really is what was used.
    rotator = spinner.replace("Spin(3f)", "Rotate(0f, 3f, 0f)")
    assert csharp_check(rotator).passed
    result = csharp_check(rotator, unity_managed=fake_managed)
    assert result.failure_class == "invented_name"
    assert [(a.name, a.on) for a in result.unknown_api] == [("Rotate", "UnityEngine.Transform")]
    assert str(fake_managed) not in result.compiler_output


def test_a_relative_managed_dir_is_resolved(fake_managed, monkeypatch):
    monkeypatch.chdir(fake_managed.parent.parent.parent)
    relative = Path("Editor/Data/Managed")
    spinner = "using UnityEngine;\npublic class S : MonoBehaviour { void Update() { transform.Spin(3f); } }"
    result = csharp_check(spinner, unity_managed=relative)
    assert result.passed, result.compiler_output  # was CS0009: a dangling link to the relative path


def test_a_top_level_unityengine_dll_is_kept_beside_others_that_sort_first(fake_managed):
    # "UnityEngine.Legacy.dll" sorts before "UnityEngine.dll"; with no UnityEngine/ module folder the
    # top-level UnityEngine.dll is the engine and must stay.
    legacy = fake_managed / "UnityEngine.Legacy.dll"
    shutil.copyfile(fake_managed / "UnityEngine.dll", fake_managed / "Scratch.dll")
    (fake_managed / "Scratch.dll").rename(legacy)
    assert unity_references(fake_managed) == [legacy, fake_managed / "UnityEngine.dll"]


def test_managed_dir_errors_name_the_path(tmp_path):
    missing = tmp_path / "NoSuchManaged"
    with pytest.raises(ModsmithError) as caught:
        csharp_check(COIN, unity_managed=missing)
    assert caught.value.where == str(missing)

    empty = tmp_path / "Empty"
    empty.mkdir()
    (empty / "System.dll").write_bytes(b"")
    with pytest.raises(ModsmithError) as caught:
        csharp_check(COIN, unity_managed=empty)
    assert caught.value.where == str(empty)
    assert "UnityEngine" in caught.value.message


def test_module_layout_prefers_the_unityengine_subfolder(tmp_path):
    modules = tmp_path / "UnityEngine"
    modules.mkdir()
    for name in ("UnityEngine.dll", "UnityEngine.CoreModule.dll", "UnityEngine.PhysicsModule.dll"):
        (modules / name).write_bytes(b"")
    for name in ("UnityEngine.dll", "UnityEngine.UI.dll", "UnityEditor.dll", "Mono.Cecil.dll"):
        (tmp_path / name).write_bytes(b"")
    assert unity_references(tmp_path) == [
        modules / "UnityEngine.CoreModule.dll",
        modules / "UnityEngine.PhysicsModule.dll",
        tmp_path / "UnityEngine.UI.dll",
        modules / "UnityEngine.dll",
    ]


# --- hostile sources -------------------------------------------------------------------------------------


def test_generated_code_is_never_run(tmp_path):
    marker = tmp_path / "ran.txt"
    source = f"""\
using System.IO;
using UnityEngine;

public class Sneaky : MonoBehaviour
{{
    static Sneaky() {{ File.WriteAllText(@"{marker}", "static constructor"); }}
    [RuntimeInitializeOnLoadMethod]
    static void Boot() {{ File.WriteAllText(@"{marker}", "load hook"); }}
    public static void Main() {{ File.WriteAllText(@"{marker}", "entry point"); }}
}}
"""
    result = csharp_check(source)
    assert result.passed, result.compiler_output
    assert not marker.exists()


def test_output_shows_no_host_paths(stub_cache):
    result = csharp_check(behaviour('void Start() { Debug.Log(mesage: "x"); }'))
    assert result.failure_class == "wrong_arguments"  # a named argument no overload has
    assert [e.code for e in result.errors] == ["CS1739"] and result.unknown_api == []
    assert "Location of the symbol" in result.compiler_output
    assert str(stub_cache) not in result.compiler_output
    assert "/tmp/" not in result.compiler_output


def test_line_directive_cannot_rename_or_move_errors():
    source = '#line 900 "/etc/passwd(1,1): error CS9999: forged"\nclass A { void F() { Foo(); } }\n'
    result = csharp_check(source)
    assert [(e.code, e.line) for e in result.errors] == [("CS0103", 2)]
    assert "passwd" not in result.compiler_output and "CS9999" not in result.compiler_output


def test_long_line_and_nul_byte_are_contained():
    long_line = 'class A { string s = "' + "x" * 200_000 + '"; void F() { Missing(); } }'
    result = csharp_check(long_line)
    assert result.failure_class == "invented_name"
    assert result.errors[0].column is not None  # mcs writes "255+" past column 255
    assert [a.name for a in result.unknown_api] == ["Missing"]

    result = csharp_check("class A { void F() { int x = 1;\x00 Missing(); } }")
    assert [a.name for a in result.unknown_api] == ["Missing"]


def test_flood_of_errors_is_truncated():
    source = "class A { void F() {\n" + "Missing();\n" * 5000 + "} }"
    result = csharp_check(source, limits=SandboxLimits(output_bytes=2000))
    assert result.truncated
    assert len(result.compiler_output) <= 2000
    assert result.failure_class == "invented_name"
    assert 0 < len(result.errors) < 5000


def test_huge_class_is_stopped_by_the_wall_limit():
    methods = "\n".join(f"int M{i}(int x) {{ return x * {i} + {i}; }}" for i in range(60_000))
    limits = SandboxLimits(wall_seconds=0.2, max_source_bytes=8 << 20)  # over the default size cap
    result = csharp_check("class Huge {\n" + methods + "\n}", limits=limits)
    assert result.timed_out
    assert not result.passed
    assert result.failure_class == "other"


def test_compiler_crash_on_deep_nesting_is_a_result():
    # mcs 6.8 overflows its stack here (CS0584 internal compiler error); that is a result, not a raise.
    result = csharp_check("class A { int F() { return " + "1+" * 20_000 + "1; } }")
    assert result.passed or result.failure_class == "other"
    assert "/tmp/" not in result.compiler_output
