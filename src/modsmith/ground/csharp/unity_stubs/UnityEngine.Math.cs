// Reference-only stand-in for the public UnityEngine scripting API (see UnityEngine.cs): vectors,
// rotations, colours and geometry value types, and Mathf.

namespace UnityEngine
{
    public struct Vector2
    {
        public float x;
        public float y;
        public const float kEpsilon = 1E-05f;
        public Vector2(float x, float y) { this.x = x; this.y = y; }
        public float this[int index] { get { throw null; } set { } }

        public static Vector2 zero { get { throw null; } }
        public static Vector2 one { get { throw null; } }
        public static Vector2 up { get { throw null; } }
        public static Vector2 down { get { throw null; } }
        public static Vector2 left { get { throw null; } }
        public static Vector2 right { get { throw null; } }
        public static Vector2 positiveInfinity { get { throw null; } }
        public static Vector2 negativeInfinity { get { throw null; } }

        public float magnitude { get { throw null; } }
        public float sqrMagnitude { get { throw null; } }
        public Vector2 normalized { get { throw null; } }
        public void Normalize() { }
        public void Set(float newX, float newY) { }
        public void Scale(Vector2 scale) { }

        public static float Distance(Vector2 a, Vector2 b) { throw null; }
        public static float Dot(Vector2 lhs, Vector2 rhs) { throw null; }
        public static Vector2 Lerp(Vector2 a, Vector2 b, float t) { throw null; }
        public static Vector2 LerpUnclamped(Vector2 a, Vector2 b, float t) { throw null; }
        public static Vector2 MoveTowards(Vector2 current, Vector2 target, float maxDistanceDelta) { throw null; }
        public static Vector2 ClampMagnitude(Vector2 vector, float maxLength) { throw null; }
        public static float Angle(Vector2 from, Vector2 to) { throw null; }
        public static float SignedAngle(Vector2 from, Vector2 to) { throw null; }
        public static Vector2 Scale(Vector2 a, Vector2 b) { throw null; }
        public static Vector2 Perpendicular(Vector2 inDirection) { throw null; }
        public static Vector2 Reflect(Vector2 inDirection, Vector2 inNormal) { throw null; }
        public static Vector2 Min(Vector2 lhs, Vector2 rhs) { throw null; }
        public static Vector2 Max(Vector2 lhs, Vector2 rhs) { throw null; }
        public static Vector2 SmoothDamp(Vector2 current, Vector2 target, ref Vector2 currentVelocity, float smoothTime) { throw null; }
        public static Vector2 SmoothDamp(Vector2 current, Vector2 target, ref Vector2 currentVelocity, float smoothTime, float maxSpeed) { throw null; }
        public static Vector2 SmoothDamp(Vector2 current, Vector2 target, ref Vector2 currentVelocity, float smoothTime, float maxSpeed, float deltaTime) { throw null; }

        public static Vector2 operator +(Vector2 a, Vector2 b) { throw null; }
        public static Vector2 operator -(Vector2 a, Vector2 b) { throw null; }
        public static Vector2 operator -(Vector2 a) { throw null; }
        public static Vector2 operator *(Vector2 a, Vector2 b) { throw null; }
        public static Vector2 operator *(Vector2 a, float d) { throw null; }
        public static Vector2 operator *(float d, Vector2 a) { throw null; }
        public static Vector2 operator /(Vector2 a, Vector2 b) { throw null; }
        public static Vector2 operator /(Vector2 a, float d) { throw null; }
        public static bool operator ==(Vector2 lhs, Vector2 rhs) { throw null; }
        public static bool operator !=(Vector2 lhs, Vector2 rhs) { throw null; }
        public static implicit operator Vector2(Vector3 v) { throw null; }
        public static implicit operator Vector3(Vector2 v) { throw null; }

        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
    }

    public struct Vector3
    {
        public float x;
        public float y;
        public float z;
        public const float kEpsilon = 1E-05f;
        public Vector3(float x, float y, float z) { this.x = x; this.y = y; this.z = z; }
        public Vector3(float x, float y) { this.x = x; this.y = y; z = 0f; }
        public float this[int index] { get { throw null; } set { } }

        public static Vector3 zero { get { throw null; } }
        public static Vector3 one { get { throw null; } }
        public static Vector3 up { get { throw null; } }
        public static Vector3 down { get { throw null; } }
        public static Vector3 left { get { throw null; } }
        public static Vector3 right { get { throw null; } }
        public static Vector3 forward { get { throw null; } }
        public static Vector3 back { get { throw null; } }
        public static Vector3 positiveInfinity { get { throw null; } }
        public static Vector3 negativeInfinity { get { throw null; } }

        public float magnitude { get { throw null; } }
        public float sqrMagnitude { get { throw null; } }
        public Vector3 normalized { get { throw null; } }
        public void Normalize() { }
        public void Set(float newX, float newY, float newZ) { }
        public void Scale(Vector3 scale) { }

        public static float Distance(Vector3 a, Vector3 b) { throw null; }
        public static float Dot(Vector3 lhs, Vector3 rhs) { throw null; }
        public static Vector3 Cross(Vector3 lhs, Vector3 rhs) { throw null; }
        public static Vector3 Lerp(Vector3 a, Vector3 b, float t) { throw null; }
        public static Vector3 LerpUnclamped(Vector3 a, Vector3 b, float t) { throw null; }
        public static Vector3 Slerp(Vector3 a, Vector3 b, float t) { throw null; }
        public static Vector3 SlerpUnclamped(Vector3 a, Vector3 b, float t) { throw null; }
        public static Vector3 MoveTowards(Vector3 current, Vector3 target, float maxDistanceDelta) { throw null; }
        public static Vector3 RotateTowards(Vector3 current, Vector3 target, float maxRadiansDelta, float maxMagnitudeDelta) { throw null; }
        public static Vector3 SmoothDamp(Vector3 current, Vector3 target, ref Vector3 currentVelocity, float smoothTime) { throw null; }
        public static Vector3 SmoothDamp(Vector3 current, Vector3 target, ref Vector3 currentVelocity, float smoothTime, float maxSpeed) { throw null; }
        public static Vector3 SmoothDamp(Vector3 current, Vector3 target, ref Vector3 currentVelocity, float smoothTime, float maxSpeed, float deltaTime) { throw null; }
        public static Vector3 ClampMagnitude(Vector3 vector, float maxLength) { throw null; }
        public static float Angle(Vector3 from, Vector3 to) { throw null; }
        public static float SignedAngle(Vector3 from, Vector3 to, Vector3 axis) { throw null; }
        public static Vector3 Scale(Vector3 a, Vector3 b) { throw null; }
        public static Vector3 Project(Vector3 vector, Vector3 onNormal) { throw null; }
        public static Vector3 ProjectOnPlane(Vector3 vector, Vector3 planeNormal) { throw null; }
        public static Vector3 Reflect(Vector3 inDirection, Vector3 inNormal) { throw null; }
        public static Vector3 Normalize(Vector3 value) { throw null; }
        public static float Magnitude(Vector3 vector) { throw null; }
        public static float SqrMagnitude(Vector3 vector) { throw null; }
        public static Vector3 Min(Vector3 lhs, Vector3 rhs) { throw null; }
        public static Vector3 Max(Vector3 lhs, Vector3 rhs) { throw null; }

        public static Vector3 operator +(Vector3 a, Vector3 b) { throw null; }
        public static Vector3 operator -(Vector3 a, Vector3 b) { throw null; }
        public static Vector3 operator -(Vector3 a) { throw null; }
        public static Vector3 operator *(Vector3 a, float d) { throw null; }
        public static Vector3 operator *(float d, Vector3 a) { throw null; }
        public static Vector3 operator /(Vector3 a, float d) { throw null; }
        public static bool operator ==(Vector3 lhs, Vector3 rhs) { throw null; }
        public static bool operator !=(Vector3 lhs, Vector3 rhs) { throw null; }

        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
    }

    public struct Vector4
    {
        public float x;
        public float y;
        public float z;
        public float w;
        public Vector4(float x, float y, float z, float w) { this.x = x; this.y = y; this.z = z; this.w = w; }
        public Vector4(float x, float y, float z) { this.x = x; this.y = y; this.z = z; w = 0f; }
        public float this[int index] { get { throw null; } set { } }

        public static Vector4 zero { get { throw null; } }
        public static Vector4 one { get { throw null; } }
        public float magnitude { get { throw null; } }
        public float sqrMagnitude { get { throw null; } }
        public Vector4 normalized { get { throw null; } }
        public void Normalize() { }
        public void Set(float newX, float newY, float newZ, float newW) { }

        public static float Distance(Vector4 a, Vector4 b) { throw null; }
        public static float Dot(Vector4 a, Vector4 b) { throw null; }
        public static Vector4 Lerp(Vector4 a, Vector4 b, float t) { throw null; }
        public static Vector4 LerpUnclamped(Vector4 a, Vector4 b, float t) { throw null; }
        public static Vector4 MoveTowards(Vector4 current, Vector4 target, float maxDistanceDelta) { throw null; }
        public static Vector4 Scale(Vector4 a, Vector4 b) { throw null; }

        public static Vector4 operator +(Vector4 a, Vector4 b) { throw null; }
        public static Vector4 operator -(Vector4 a, Vector4 b) { throw null; }
        public static Vector4 operator -(Vector4 a) { throw null; }
        public static Vector4 operator *(Vector4 a, float d) { throw null; }
        public static Vector4 operator *(float d, Vector4 a) { throw null; }
        public static Vector4 operator /(Vector4 a, float d) { throw null; }
        public static bool operator ==(Vector4 lhs, Vector4 rhs) { throw null; }
        public static bool operator !=(Vector4 lhs, Vector4 rhs) { throw null; }
        public static implicit operator Vector4(Vector3 v) { throw null; }
        public static implicit operator Vector3(Vector4 v) { throw null; }
        public static implicit operator Vector4(Vector2 v) { throw null; }
        public static implicit operator Vector2(Vector4 v) { throw null; }

        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
    }

    public struct Vector2Int
    {
        public Vector2Int(int x, int y) : this() { }
        public int x { get; set; }
        public int y { get; set; }
        public int this[int index] { get { throw null; } set { } }
        public static Vector2Int zero { get { throw null; } }
        public static Vector2Int one { get { throw null; } }
        public static Vector2Int up { get { throw null; } }
        public static Vector2Int down { get { throw null; } }
        public static Vector2Int left { get { throw null; } }
        public static Vector2Int right { get { throw null; } }
        public float magnitude { get { throw null; } }
        public int sqrMagnitude { get { throw null; } }
        public static float Distance(Vector2Int a, Vector2Int b) { throw null; }
        public static Vector2Int FloorToInt(Vector2 v) { throw null; }
        public static Vector2Int RoundToInt(Vector2 v) { throw null; }
        public static Vector2Int CeilToInt(Vector2 v) { throw null; }
        public static Vector2Int operator +(Vector2Int a, Vector2Int b) { throw null; }
        public static Vector2Int operator -(Vector2Int a, Vector2Int b) { throw null; }
        public static Vector2Int operator *(Vector2Int a, int b) { throw null; }
        public static bool operator ==(Vector2Int lhs, Vector2Int rhs) { throw null; }
        public static bool operator !=(Vector2Int lhs, Vector2Int rhs) { throw null; }
        public static implicit operator Vector2(Vector2Int v) { throw null; }
        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
    }

    public struct Vector3Int
    {
        public Vector3Int(int x, int y, int z) : this() { }
        public int x { get; set; }
        public int y { get; set; }
        public int z { get; set; }
        public int this[int index] { get { throw null; } set { } }
        public static Vector3Int zero { get { throw null; } }
        public static Vector3Int one { get { throw null; } }
        public static Vector3Int up { get { throw null; } }
        public static Vector3Int down { get { throw null; } }
        public static Vector3Int left { get { throw null; } }
        public static Vector3Int right { get { throw null; } }
        public float magnitude { get { throw null; } }
        public static float Distance(Vector3Int a, Vector3Int b) { throw null; }
        public static Vector3Int FloorToInt(Vector3 v) { throw null; }
        public static Vector3Int RoundToInt(Vector3 v) { throw null; }
        public static Vector3Int CeilToInt(Vector3 v) { throw null; }
        public static Vector3Int operator +(Vector3Int a, Vector3Int b) { throw null; }
        public static Vector3Int operator -(Vector3Int a, Vector3Int b) { throw null; }
        public static Vector3Int operator *(Vector3Int a, int b) { throw null; }
        public static bool operator ==(Vector3Int lhs, Vector3Int rhs) { throw null; }
        public static bool operator !=(Vector3Int lhs, Vector3Int rhs) { throw null; }
        public static implicit operator Vector3(Vector3Int v) { throw null; }
        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
    }

    public struct Quaternion
    {
        public float x;
        public float y;
        public float z;
        public float w;
        public const float kEpsilon = 1E-06f;
        public Quaternion(float x, float y, float z, float w) { this.x = x; this.y = y; this.z = z; this.w = w; }
        public float this[int index] { get { throw null; } set { } }

        public static Quaternion identity { get { throw null; } }
        public Vector3 eulerAngles { get { throw null; } set { } }
        public Quaternion normalized { get { throw null; } }

        public static Quaternion Euler(float x, float y, float z) { throw null; }
        public static Quaternion Euler(Vector3 euler) { throw null; }
        public static Quaternion AngleAxis(float angle, Vector3 axis) { throw null; }
        public static Quaternion LookRotation(Vector3 forward) { throw null; }
        public static Quaternion LookRotation(Vector3 forward, Vector3 upwards) { throw null; }
        public static Quaternion FromToRotation(Vector3 fromDirection, Vector3 toDirection) { throw null; }
        public static Quaternion Slerp(Quaternion a, Quaternion b, float t) { throw null; }
        public static Quaternion SlerpUnclamped(Quaternion a, Quaternion b, float t) { throw null; }
        public static Quaternion Lerp(Quaternion a, Quaternion b, float t) { throw null; }
        public static Quaternion LerpUnclamped(Quaternion a, Quaternion b, float t) { throw null; }
        public static Quaternion RotateTowards(Quaternion from, Quaternion to, float maxDegreesDelta) { throw null; }
        public static Quaternion Inverse(Quaternion rotation) { throw null; }
        public static Quaternion Normalize(Quaternion q) { throw null; }
        public static float Angle(Quaternion a, Quaternion b) { throw null; }
        public static float Dot(Quaternion a, Quaternion b) { throw null; }
        public void Set(float newX, float newY, float newZ, float newW) { }
        public void SetLookRotation(Vector3 view) { }
        public void SetLookRotation(Vector3 view, Vector3 up) { }
        public void SetFromToRotation(Vector3 fromDirection, Vector3 toDirection) { }
        public void ToAngleAxis(out float angle, out Vector3 axis) { throw null; }
        public void Normalize() { }

        public static Quaternion operator *(Quaternion lhs, Quaternion rhs) { throw null; }
        public static Vector3 operator *(Quaternion rotation, Vector3 point) { throw null; }
        public static bool operator ==(Quaternion lhs, Quaternion rhs) { throw null; }
        public static bool operator !=(Quaternion lhs, Quaternion rhs) { throw null; }

        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
    }

    public struct Matrix4x4
    {
        public static Matrix4x4 identity { get { throw null; } }
        public static Matrix4x4 zero { get { throw null; } }
        public float this[int row, int column] { get { throw null; } set { } }
        public Matrix4x4 inverse { get { throw null; } }
        public Matrix4x4 transpose { get { throw null; } }
        public static Matrix4x4 TRS(Vector3 pos, Quaternion q, Vector3 s) { throw null; }
        public Vector3 MultiplyPoint(Vector3 point) { throw null; }
        public Vector3 MultiplyPoint3x4(Vector3 point) { throw null; }
        public Vector3 MultiplyVector(Vector3 vector) { throw null; }
        public static Matrix4x4 operator *(Matrix4x4 lhs, Matrix4x4 rhs) { throw null; }
        public static Vector4 operator *(Matrix4x4 lhs, Vector4 vector) { throw null; }
    }

    public struct Mathf
    {
        public const float PI = 3.14159274f;
        public const float Infinity = float.PositiveInfinity;
        public const float NegativeInfinity = float.NegativeInfinity;
        public const float Deg2Rad = 0.0174532924f;
        public const float Rad2Deg = 57.29578f;
        public static readonly float Epsilon = float.Epsilon;

        public static float Abs(float f) { throw null; }
        public static int Abs(int value) { throw null; }
        public static float Min(float a, float b) { throw null; }
        public static float Min(params float[] values) { throw null; }
        public static int Min(int a, int b) { throw null; }
        public static int Min(params int[] values) { throw null; }
        public static float Max(float a, float b) { throw null; }
        public static float Max(params float[] values) { throw null; }
        public static int Max(int a, int b) { throw null; }
        public static int Max(params int[] values) { throw null; }
        public static float Clamp(float value, float min, float max) { throw null; }
        public static int Clamp(int value, int min, int max) { throw null; }
        public static float Clamp01(float value) { throw null; }
        public static float Lerp(float a, float b, float t) { throw null; }
        public static float LerpUnclamped(float a, float b, float t) { throw null; }
        public static float LerpAngle(float a, float b, float t) { throw null; }
        public static float InverseLerp(float a, float b, float value) { throw null; }
        public static float MoveTowards(float current, float target, float maxDelta) { throw null; }
        public static float MoveTowardsAngle(float current, float target, float maxDelta) { throw null; }
        public static float SmoothStep(float from, float to, float t) { throw null; }
        public static float SmoothDamp(float current, float target, ref float currentVelocity, float smoothTime) { throw null; }
        public static float SmoothDamp(float current, float target, ref float currentVelocity, float smoothTime, float maxSpeed) { throw null; }
        public static float SmoothDamp(float current, float target, ref float currentVelocity, float smoothTime, float maxSpeed, float deltaTime) { throw null; }
        public static float SmoothDampAngle(float current, float target, ref float currentVelocity, float smoothTime) { throw null; }
        public static float SmoothDampAngle(float current, float target, ref float currentVelocity, float smoothTime, float maxSpeed) { throw null; }
        public static float DeltaAngle(float current, float target) { throw null; }
        public static float Sin(float f) { throw null; }
        public static float Cos(float f) { throw null; }
        public static float Tan(float f) { throw null; }
        public static float Asin(float f) { throw null; }
        public static float Acos(float f) { throw null; }
        public static float Atan(float f) { throw null; }
        public static float Atan2(float y, float x) { throw null; }
        public static float Sqrt(float f) { throw null; }
        public static float Pow(float f, float p) { throw null; }
        public static float Exp(float power) { throw null; }
        public static float Log(float f) { throw null; }
        public static float Log(float f, float p) { throw null; }
        public static float Log10(float f) { throw null; }
        public static float Sign(float f) { throw null; }
        public static float Floor(float f) { throw null; }
        public static float Ceil(float f) { throw null; }
        public static float Round(float f) { throw null; }
        public static int FloorToInt(float f) { throw null; }
        public static int CeilToInt(float f) { throw null; }
        public static int RoundToInt(float f) { throw null; }
        public static float Repeat(float t, float length) { throw null; }
        public static float PingPong(float t, float length) { throw null; }
        public static bool Approximately(float a, float b) { throw null; }
        public static float PerlinNoise(float x, float y) { throw null; }
        public static bool IsPowerOfTwo(int value) { throw null; }
        public static int NextPowerOfTwo(int value) { throw null; }
        public static int ClosestPowerOfTwo(int value) { throw null; }
    }

    public struct Color
    {
        public float r;
        public float g;
        public float b;
        public float a;
        public Color(float r, float g, float b, float a) { this.r = r; this.g = g; this.b = b; this.a = a; }
        public Color(float r, float g, float b) { this.r = r; this.g = g; this.b = b; a = 1f; }
        public float this[int index] { get { throw null; } set { } }

        public static Color red { get { throw null; } }
        public static Color green { get { throw null; } }
        public static Color blue { get { throw null; } }
        public static Color white { get { throw null; } }
        public static Color black { get { throw null; } }
        public static Color yellow { get { throw null; } }
        public static Color cyan { get { throw null; } }
        public static Color magenta { get { throw null; } }
        public static Color gray { get { throw null; } }
        public static Color grey { get { throw null; } }
        public static Color clear { get { throw null; } }

        public float grayscale { get { throw null; } }
        public float maxColorComponent { get { throw null; } }
        public static Color Lerp(Color a, Color b, float t) { throw null; }
        public static Color LerpUnclamped(Color a, Color b, float t) { throw null; }
        public static Color HSVToRGB(float H, float S, float V) { throw null; }
        public static Color HSVToRGB(float H, float S, float V, bool hdr) { throw null; }
        public static void RGBToHSV(Color rgbColor, out float H, out float S, out float V) { throw null; }

        public static Color operator +(Color a, Color b) { throw null; }
        public static Color operator -(Color a, Color b) { throw null; }
        public static Color operator *(Color a, Color b) { throw null; }
        public static Color operator *(Color a, float b) { throw null; }
        public static Color operator *(float b, Color a) { throw null; }
        public static Color operator /(Color a, float b) { throw null; }
        public static bool operator ==(Color lhs, Color rhs) { throw null; }
        public static bool operator !=(Color lhs, Color rhs) { throw null; }
        public static implicit operator Vector4(Color c) { throw null; }
        public static implicit operator Color(Vector4 v) { throw null; }

        public override bool Equals(object other) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
    }

    public struct Color32
    {
        public byte r;
        public byte g;
        public byte b;
        public byte a;
        public Color32(byte r, byte g, byte b, byte a) { this.r = r; this.g = g; this.b = b; this.a = a; }
        public static implicit operator Color32(Color c) { throw null; }
        public static implicit operator Color(Color32 c) { throw null; }
        public static Color32 Lerp(Color32 a, Color32 b, float t) { throw null; }
        public static Color32 LerpUnclamped(Color32 a, Color32 b, float t) { throw null; }
        public override string ToString() { throw null; }
    }

    public struct Bounds
    {
        public Bounds(Vector3 center, Vector3 size) { }
        public Vector3 center { get { throw null; } set { } }
        public Vector3 size { get { throw null; } set { } }
        public Vector3 extents { get { throw null; } set { } }
        public Vector3 min { get { throw null; } set { } }
        public Vector3 max { get { throw null; } set { } }
        public bool Contains(Vector3 point) { throw null; }
        public void Encapsulate(Vector3 point) { }
        public void Encapsulate(Bounds bounds) { }
        public void Expand(float amount) { }
        public void Expand(Vector3 amount) { }
        public bool Intersects(Bounds bounds) { throw null; }
        public bool IntersectRay(Ray ray) { throw null; }
        public Vector3 ClosestPoint(Vector3 point) { throw null; }
        public float SqrDistance(Vector3 point) { throw null; }
        public void SetMinMax(Vector3 min, Vector3 max) { }
        public override string ToString() { throw null; }
    }

    public struct Ray
    {
        public Ray(Vector3 origin, Vector3 direction) { }
        public Vector3 origin { get { throw null; } set { } }
        public Vector3 direction { get { throw null; } set { } }
        public Vector3 GetPoint(float distance) { throw null; }
        public override string ToString() { throw null; }
    }

    public struct Ray2D
    {
        public Ray2D(Vector2 origin, Vector2 direction) { }
        public Vector2 origin { get { throw null; } set { } }
        public Vector2 direction { get { throw null; } set { } }
        public Vector2 GetPoint(float distance) { throw null; }
    }

    public struct Plane
    {
        public Plane(Vector3 inNormal, Vector3 inPoint) { }
        public Plane(Vector3 inNormal, float d) { }
        public Plane(Vector3 a, Vector3 b, Vector3 c) { }
        public Vector3 normal { get { throw null; } set { } }
        public float distance { get { throw null; } set { } }
        public bool Raycast(Ray ray, out float enter) { throw null; }
        public float GetDistanceToPoint(Vector3 point) { throw null; }
        public bool GetSide(Vector3 point) { throw null; }
        public Vector3 ClosestPointOnPlane(Vector3 point) { throw null; }
    }

    public struct Rect
    {
        public Rect(float x, float y, float width, float height) { }
        public Rect(Vector2 position, Vector2 size) { }
        public static Rect zero { get { throw null; } }
        public float x { get { throw null; } set { } }
        public float y { get { throw null; } set { } }
        public float width { get { throw null; } set { } }
        public float height { get { throw null; } set { } }
        public Vector2 position { get { throw null; } set { } }
        public Vector2 size { get { throw null; } set { } }
        public Vector2 center { get { throw null; } set { } }
        public Vector2 min { get { throw null; } set { } }
        public Vector2 max { get { throw null; } set { } }
        public float xMin { get { throw null; } set { } }
        public float xMax { get { throw null; } set { } }
        public float yMin { get { throw null; } set { } }
        public float yMax { get { throw null; } set { } }
        public bool Contains(Vector2 point) { throw null; }
        public bool Contains(Vector3 point) { throw null; }
        public bool Overlaps(Rect other) { throw null; }
        public override string ToString() { throw null; }
    }
}
