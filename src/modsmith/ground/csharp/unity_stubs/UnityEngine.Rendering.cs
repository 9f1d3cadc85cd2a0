// Reference-only stand-in for the public UnityEngine scripting API (see UnityEngine.cs): renderers,
// materials, textures, meshes, cameras, lights, gizmos, immediate-mode GUI and particle playback.

namespace UnityEngine
{
    public enum FilterMode { Point = 0, Bilinear = 1, Trilinear = 2 }
    public enum TextureWrapMode { Repeat = 0, Clamp = 1, Mirror = 2, MirrorOnce = 3 }
    public enum TextureFormat { Alpha8 = 1, ARGB4444 = 2, RGB24 = 3, RGBA32 = 4, ARGB32 = 5, RGB565 = 7, R16 = 9, DXT1 = 10, DXT5 = 12, RGBAFloat = 20 }
    public enum CameraClearFlags { Skybox = 1, SolidColor = 2, Depth = 3, Nothing = 4 }
    public enum LightType { Spot = 0, Directional = 1, Point = 2, Area = 3 }
    public enum SpriteDrawMode { Simple = 0, Sliced = 1, Tiled = 2 }

    public class Shader : Object
    {
        public static Shader Find(string name) { throw null; }
        public static int PropertyToID(string name) { throw null; }
        public bool isSupported { get { throw null; } }
    }

    public class Texture : Object
    {
        public virtual int width { get { throw null; } set { } }
        public virtual int height { get { throw null; } set { } }
        public FilterMode filterMode { get; set; }
        public TextureWrapMode wrapMode { get; set; }
    }

    public sealed class Texture2D : Texture
    {
        public Texture2D(int width, int height) { }
        public Texture2D(int width, int height, TextureFormat textureFormat, bool mipChain) { }
        public static Texture2D whiteTexture { get { throw null; } }
        public static Texture2D blackTexture { get { throw null; } }
        public TextureFormat format { get { throw null; } }
        public void SetPixel(int x, int y, Color color) { }
        public Color GetPixel(int x, int y) { throw null; }
        public Color GetPixelBilinear(float u, float v) { throw null; }
        public void SetPixels(Color[] colors) { }
        public void SetPixels32(Color32[] colors) { }
        public Color[] GetPixels() { throw null; }
        public Color32[] GetPixels32() { throw null; }
        public void Apply() { }
        public void Apply(bool updateMipmaps) { }
        public bool Reinitialize(int width, int height) { throw null; }
    }

    public static class ImageConversion
    {
        public static bool LoadImage(this Texture2D tex, byte[] data) { throw null; }
        public static bool LoadImage(this Texture2D tex, byte[] data, bool markNonReadable) { throw null; }
        public static byte[] EncodeToPNG(this Texture2D tex) { throw null; }
        public static byte[] EncodeToJPG(this Texture2D tex) { throw null; }
        public static byte[] EncodeToJPG(this Texture2D tex, int quality) { throw null; }
    }

    public class RenderTexture : Texture
    {
        public RenderTexture(int width, int height, int depth) { }
        public static RenderTexture active { get; set; }
        public bool Create() { throw null; }
        public void Release() { }
    }

    public class Material : Object
    {
        public Material(Shader shader) { }
        public Material(Material source) { }
        public Shader shader { get; set; }
        public Color color { get; set; }
        public Texture mainTexture { get; set; }
        public Vector2 mainTextureOffset { get; set; }
        public Vector2 mainTextureScale { get; set; }
        public void SetTextureOffset(string name, Vector2 value) { }
        public void SetTextureOffset(int nameID, Vector2 value) { }
        public void SetTextureScale(string name, Vector2 value) { }
        public void SetTextureScale(int nameID, Vector2 value) { }
        public Vector2 GetTextureOffset(string name) { throw null; }
        public Vector2 GetTextureScale(string name) { throw null; }
        public int renderQueue { get; set; }

        public void SetColor(string name, Color value) { }
        public void SetColor(int nameID, Color value) { }
        public Color GetColor(string name) { throw null; }
        public Color GetColor(int nameID) { throw null; }
        public void SetFloat(string name, float value) { }
        public void SetFloat(int nameID, float value) { }
        public float GetFloat(string name) { throw null; }
        public float GetFloat(int nameID) { throw null; }
        public void SetInt(string name, int value) { }
        public void SetInt(int nameID, int value) { }
        public int GetInt(string name) { throw null; }
        public int GetInt(int nameID) { throw null; }
        public void SetInteger(string name, int value) { }
        public int GetInteger(string name) { throw null; }
        public void SetVector(string name, Vector4 value) { }
        public void SetVector(int nameID, Vector4 value) { }
        public Vector4 GetVector(string name) { throw null; }
        public Vector4 GetVector(int nameID) { throw null; }
        public void SetTexture(string name, Texture value) { }
        public void SetTexture(int nameID, Texture value) { }
        public Texture GetTexture(string name) { throw null; }
        public Texture GetTexture(int nameID) { throw null; }
        public bool HasProperty(string name) { throw null; }
        public bool HasProperty(int nameID) { throw null; }
        public void EnableKeyword(string keyword) { }
        public void DisableKeyword(string keyword) { }
        public bool IsKeywordEnabled(string keyword) { throw null; }
        public void CopyPropertiesFromMaterial(Material mat) { }
    }

    public class Renderer : Component
    {
        public bool enabled { get; set; }
        public bool isVisible { get { throw null; } }
        public Material material { get; set; }
        public Material[] materials { get; set; }
        public Material sharedMaterial { get; set; }
        public Material[] sharedMaterials { get; set; }
        public Bounds bounds { get { throw null; } }
        public int sortingOrder { get; set; }
        public string sortingLayerName { get; set; }
        public int sortingLayerID { get; set; }
        public bool receiveShadows { get; set; }
    }

    public class MeshRenderer : Renderer { }

    public class SkinnedMeshRenderer : Renderer
    {
        public Mesh sharedMesh { get; set; }
        public Transform[] bones { get; set; }
        public Transform rootBone { get; set; }
        public Bounds localBounds { get; set; }
        public bool updateWhenOffscreen { get; set; }
        public float GetBlendShapeWeight(int index) { throw null; }
        public void SetBlendShapeWeight(int index, float value) { }
        public void BakeMesh(Mesh mesh) { }
    }

    public sealed class SpriteRenderer : Renderer
    {
        public Sprite sprite { get; set; }
        public Color color { get; set; }
        public bool flipX { get; set; }
        public bool flipY { get; set; }
        public Vector2 size { get; set; }
        public SpriteDrawMode drawMode { get; set; }
    }

    public sealed class LineRenderer : Renderer
    {
        public int positionCount { get; set; }
        public float startWidth { get; set; }
        public float endWidth { get; set; }
        public float widthMultiplier { get; set; }
        public Color startColor { get; set; }
        public Color endColor { get; set; }
        public bool useWorldSpace { get; set; }
        public bool loop { get; set; }
        public void SetPosition(int index, Vector3 position) { }
        public Vector3 GetPosition(int index) { throw null; }
        public void SetPositions(Vector3[] positions) { }
    }

    public sealed class TrailRenderer : Renderer
    {
        public float time { get; set; }
        public float startWidth { get; set; }
        public float endWidth { get; set; }
        public bool emitting { get; set; }
        public void Clear() { }
    }

    public sealed class Sprite : Object
    {
        public Rect rect { get { throw null; } }
        public Texture2D texture { get { throw null; } }
        public Bounds bounds { get { throw null; } }
        public Vector2 pivot { get { throw null; } }
        public float pixelsPerUnit { get { throw null; } }
        public static Sprite Create(Texture2D texture, Rect rect, Vector2 pivot) { throw null; }
        public static Sprite Create(Texture2D texture, Rect rect, Vector2 pivot, float pixelsPerUnit) { throw null; }
    }

    public sealed class Mesh : Object
    {
        public Mesh() { }
        public Vector3[] vertices { get; set; }
        public int[] triangles { get; set; }
        public Vector3[] normals { get; set; }
        public Vector2[] uv { get; set; }
        public Color[] colors { get; set; }
        public Bounds bounds { get; set; }
        public int vertexCount { get { throw null; } }
        public void Clear() { }
        public void RecalculateNormals() { }
        public void RecalculateBounds() { }
        public void SetVertices(System.Collections.Generic.List<Vector3> inVertices) { }
        public void SetTriangles(int[] triangles, int submesh) { }
    }

    public sealed class MeshFilter : Component
    {
        public Mesh mesh { get; set; }
        public Mesh sharedMesh { get; set; }
    }

    public sealed class Camera : Behaviour
    {
        public static Camera main { get { throw null; } }
        public static Camera current { get { throw null; } }
        public float fieldOfView { get; set; }
        public bool orthographic { get; set; }
        public float orthographicSize { get; set; }
        public float nearClipPlane { get; set; }
        public float farClipPlane { get; set; }
        public float aspect { get; set; }
        public float depth { get; set; }
        public int cullingMask { get; set; }
        public Color backgroundColor { get; set; }
        public CameraClearFlags clearFlags { get; set; }
        public RenderTexture targetTexture { get; set; }
        public int pixelWidth { get { throw null; } }
        public int pixelHeight { get { throw null; } }
        public Rect rect { get; set; }

        public Vector3 ScreenToWorldPoint(Vector3 position) { throw null; }
        public Vector3 WorldToScreenPoint(Vector3 position) { throw null; }
        public Vector3 WorldToViewportPoint(Vector3 position) { throw null; }
        public Vector3 ViewportToWorldPoint(Vector3 position) { throw null; }
        public Vector3 ScreenToViewportPoint(Vector3 position) { throw null; }
        public Vector3 ViewportToScreenPoint(Vector3 position) { throw null; }
        public Ray ScreenPointToRay(Vector3 pos) { throw null; }
        public Ray ViewportPointToRay(Vector3 pos) { throw null; }
        public void Render() { }
    }

    public sealed class Light : Behaviour
    {
        public LightType type { get; set; }
        public Color color { get; set; }
        public float intensity { get; set; }
        public float range { get; set; }
        public float spotAngle { get; set; }
    }

    public sealed class Gizmos
    {
        public static Color color { get; set; }
        public static Matrix4x4 matrix { get; set; }
        public static void DrawLine(Vector3 from, Vector3 to) { }
        public static void DrawRay(Vector3 from, Vector3 direction) { }
        public static void DrawRay(Ray r) { }
        public static void DrawSphere(Vector3 center, float radius) { }
        public static void DrawWireSphere(Vector3 center, float radius) { }
        public static void DrawCube(Vector3 center, Vector3 size) { }
        public static void DrawWireCube(Vector3 center, Vector3 size) { }
        public static void DrawIcon(Vector3 center, string name) { }
        public static void DrawIcon(Vector3 center, string name, bool allowScaling) { }
        public static void DrawMesh(Mesh mesh, Vector3 position = default(Vector3), Quaternion rotation = default(Quaternion), Vector3 scale = default(Vector3)) { }
        public static void DrawMesh(Mesh mesh, int submeshIndex, Vector3 position = default(Vector3), Quaternion rotation = default(Quaternion), Vector3 scale = default(Vector3)) { }
        public static void DrawWireMesh(Mesh mesh, Vector3 position = default(Vector3), Quaternion rotation = default(Quaternion), Vector3 scale = default(Vector3)) { }
        public static void DrawFrustum(Vector3 center, float fov, float maxRange, float minRange, float aspect) { }
        public static void DrawGUITexture(Rect screenRect, Texture texture) { }
    }

    public class GUIStyle
    {
        public GUIStyle() { }
        public GUIStyle(GUIStyle other) { }
        public int fontSize { get; set; }
        public bool wordWrap { get; set; }
    }

    public sealed class GUILayoutOption { }

    public class GUI
    {
        public static Color color { get; set; }
        public static bool enabled { get; set; }
        public static void Label(Rect position, string text) { }
        public static void Label(Rect position, string text, GUIStyle style) { }
        public static void Box(Rect position, string text) { }
        public static bool Button(Rect position, string text) { throw null; }
        public static bool Button(Rect position, string text, GUIStyle style) { throw null; }
        public static string TextField(Rect position, string text) { throw null; }
        public static bool Toggle(Rect position, bool value, string text) { throw null; }
        public static float HorizontalSlider(Rect position, float value, float leftValue, float rightValue) { throw null; }
        public static void DrawTexture(Rect position, Texture image) { }
    }

    public class GUILayout
    {
        public static void Label(string text, params GUILayoutOption[] options) { }
        public static void Label(string text, GUIStyle style, params GUILayoutOption[] options) { }
        public static void Box(string text, params GUILayoutOption[] options) { }
        public static bool Button(string text, params GUILayoutOption[] options) { throw null; }
        public static string TextField(string text, params GUILayoutOption[] options) { throw null; }
        public static bool Toggle(bool value, string text, params GUILayoutOption[] options) { throw null; }
        public static float HorizontalSlider(float value, float leftValue, float rightValue, params GUILayoutOption[] options) { throw null; }
        public static void Space(float pixels) { }
        public static void FlexibleSpace() { }
        public static void BeginHorizontal(params GUILayoutOption[] options) { }
        public static void EndHorizontal() { }
        public static void BeginVertical(params GUILayoutOption[] options) { }
        public static void EndVertical() { }
        public static void BeginArea(Rect screenRect) { }
        public static void EndArea() { }
        public static GUILayoutOption Width(float width) { throw null; }
        public static GUILayoutOption Height(float height) { throw null; }
    }

    public enum ParticleSystemStopBehavior { StopEmittingAndClear = 0, StopEmitting = 1 }

    public sealed class ParticleSystem : Component
    {
        public bool isPlaying { get { throw null; } }
        public bool isStopped { get { throw null; } }
        public bool isPaused { get { throw null; } }
        public bool isEmitting { get { throw null; } }
        public int particleCount { get { throw null; } }
        public float time { get; set; }
        public void Play() { }
        public void Play(bool withChildren) { }
        public void Stop() { }
        public void Stop(bool withChildren) { }
        public void Pause() { }
        public void Clear() { }
        public void Emit(int count) { }
        public void Simulate(float t) { }
        public void Simulate(float t, bool withChildren) { }
        public void Play(bool withChildren, bool restart) { }
        public void Stop(bool withChildren, ParticleSystemStopBehavior stopBehavior) { }
        public bool IsAlive() { throw null; }
        public bool IsAlive(bool withChildren) { throw null; }
        public MainModule main { get { throw null; } }
        public EmissionModule emission { get { throw null; } }
        public ShapeModule shape { get { throw null; } }

        // The properties before the modules (Unity 5.5); they still compile, marked obsolete.
        [System.Obsolete("Use main.startLifetime")] public float startLifetime { get; set; }
        [System.Obsolete("Use main.startColor")] public Color startColor { get; set; }
        [System.Obsolete("Use main.startSpeed")] public float startSpeed { get; set; }
        [System.Obsolete("Use main.startSize")] public float startSize { get; set; }
        [System.Obsolete("Use main.startRotation")] public float startRotation { get; set; }
        [System.Obsolete("Use main.startDelay")] public float startDelay { get; set; }
        [System.Obsolete("Use main.gravityModifier")] public float gravityModifier { get; set; }
        [System.Obsolete("Use main.loop")] public bool loop { get; set; }
        [System.Obsolete("Use main.playOnAwake")] public bool playOnAwake { get; set; }
        [System.Obsolete("Use main.duration")] public float duration { get { throw null; } }
        [System.Obsolete("Use main.simulationSpeed")] public float playbackSpeed { get; set; }
        [System.Obsolete("Use main.maxParticles")] public int maxParticles { get; set; }
        [System.Obsolete("Use emission.rateOverTime")] public float emissionRate { get; set; }
        [System.Obsolete("Use emission.enabled")] public bool enableEmission { get; set; }

        public struct MinMaxCurve
        {
            public MinMaxCurve(float constant) : this() { }
            public MinMaxCurve(float min, float max) : this() { }
            public float constant { get; set; }
            public float constantMin { get; set; }
            public float constantMax { get; set; }
            public static implicit operator MinMaxCurve(float constant) { throw null; }
        }

        public struct MinMaxGradient
        {
            public MinMaxGradient(Color color) : this() { }
            public MinMaxGradient(Color min, Color max) : this() { }
            public Color color { get; set; }
            public Color colorMin { get; set; }
            public Color colorMax { get; set; }
            public static implicit operator MinMaxGradient(Color color) { throw null; }
        }

        public struct MainModule
        {
            public float duration { get; set; }
            public bool loop { get; set; }
            public bool playOnAwake { get; set; }
            public MinMaxCurve startLifetime { get; set; }
            public MinMaxCurve startSpeed { get; set; }
            public MinMaxCurve startSize { get; set; }
            public MinMaxCurve startRotation { get; set; }
            public MinMaxCurve startDelay { get; set; }
            public MinMaxCurve gravityModifier { get; set; }
            public MinMaxGradient startColor { get; set; }
            public float simulationSpeed { get; set; }
            public int maxParticles { get; set; }
        }

        public struct EmissionModule
        {
            public bool enabled { get; set; }
            public MinMaxCurve rateOverTime { get; set; }
            public MinMaxCurve rateOverDistance { get; set; }
        }

        public struct ShapeModule
        {
            public bool enabled { get; set; }
            public float radius { get; set; }
            public float angle { get; set; }
            public Vector3 position { get; set; }
            public Vector3 rotation { get; set; }
            public Vector3 scale { get; set; }
        }
    }
}
