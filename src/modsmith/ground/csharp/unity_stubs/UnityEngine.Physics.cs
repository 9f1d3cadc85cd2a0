// Reference-only stand-in for the public UnityEngine scripting API (see UnityEngine.cs): 3D and 2D
// physics. Unity spells some optional arguments as separate overloads; optional parameters give the
// same set of valid calls here.

using System.Collections.Generic;

namespace UnityEngine
{
    public enum ForceMode { Force = 0, Impulse = 1, VelocityChange = 2, Acceleration = 5 }
    public enum ForceMode2D { Force = 0, Impulse = 1 }
    public enum RigidbodyType2D { Dynamic = 0, Kinematic = 1, Static = 2 }
    public enum RigidbodyInterpolation { None = 0, Interpolate = 1, Extrapolate = 2 }
    public enum RigidbodyInterpolation2D { None = 0, Interpolate = 1, Extrapolate = 2 }
    public enum CollisionDetectionMode { Discrete = 0, Continuous = 1, ContinuousDynamic = 2, ContinuousSpeculative = 3 }
    public enum CollisionDetectionMode2D { Discrete = 0, Continuous = 1 }
    public enum QueryTriggerInteraction { UseGlobal = 0, Ignore = 1, Collide = 2 }

    [System.Flags]
    public enum RigidbodyConstraints
    {
        None = 0, FreezePositionX = 2, FreezePositionY = 4, FreezePositionZ = 8,
        FreezeRotationX = 16, FreezeRotationY = 32, FreezeRotationZ = 64,
        FreezePosition = 14, FreezeRotation = 112, FreezeAll = 126,
    }

    [System.Flags]
    public enum RigidbodyConstraints2D
    {
        None = 0, FreezePositionX = 1, FreezePositionY = 2, FreezeRotation = 4, FreezePosition = 3, FreezeAll = 7,
    }

    [System.Flags]
    public enum CollisionFlags { None = 0, Sides = 1, Above = 2, Below = 4 }

    public class Rigidbody : Component
    {
        public Vector3 velocity { get; set; }
        public Vector3 linearVelocity { get; set; }
        public Vector3 angularVelocity { get; set; }
        public float mass { get; set; }
        public float drag { get; set; }
        public float angularDrag { get; set; }
        public float linearDamping { get; set; }
        public float angularDamping { get; set; }
        public bool useGravity { get; set; }
        public bool isKinematic { get; set; }
        public bool freezeRotation { get; set; }
        public bool detectCollisions { get; set; }
        public RigidbodyConstraints constraints { get; set; }
        public RigidbodyInterpolation interpolation { get; set; }
        public CollisionDetectionMode collisionDetectionMode { get; set; }
        public Vector3 position { get; set; }
        public Quaternion rotation { get; set; }
        public Vector3 centerOfMass { get; set; }
        public Vector3 worldCenterOfMass { get { throw null; } }
        public float maxAngularVelocity { get; set; }

        public void AddForce(Vector3 force) { }
        public void AddForce(Vector3 force, ForceMode mode) { }
        public void AddForce(float x, float y, float z) { }
        public void AddForce(float x, float y, float z, ForceMode mode) { }
        public void AddRelativeForce(Vector3 force) { }
        public void AddRelativeForce(Vector3 force, ForceMode mode) { }
        public void AddRelativeForce(float x, float y, float z) { }
        public void AddRelativeForce(float x, float y, float z, ForceMode mode) { }
        public void AddTorque(Vector3 torque) { }
        public void AddTorque(Vector3 torque, ForceMode mode) { }
        public void AddTorque(float x, float y, float z) { }
        public void AddTorque(float x, float y, float z, ForceMode mode) { }
        public void AddRelativeTorque(Vector3 torque) { }
        public void AddRelativeTorque(Vector3 torque, ForceMode mode) { }
        public void AddForceAtPosition(Vector3 force, Vector3 position) { }
        public void AddForceAtPosition(Vector3 force, Vector3 position, ForceMode mode) { }
        public void AddExplosionForce(float explosionForce, Vector3 explosionPosition, float explosionRadius) { }
        public void AddExplosionForce(float explosionForce, Vector3 explosionPosition, float explosionRadius, float upwardsModifier) { }
        public void AddExplosionForce(float explosionForce, Vector3 explosionPosition, float explosionRadius, float upwardsModifier, ForceMode mode) { }
        public void MovePosition(Vector3 position) { }
        public void MoveRotation(Quaternion rot) { }
        public Vector3 GetPointVelocity(Vector3 worldPoint) { throw null; }
        public void Sleep() { }
        public void WakeUp() { }
        public bool IsSleeping() { throw null; }
    }

    public sealed class Rigidbody2D : Component
    {
        public Vector2 velocity { get; set; }
        public Vector2 linearVelocity { get; set; }
        public float angularVelocity { get; set; }
        public float gravityScale { get; set; }
        public float mass { get; set; }
        public float drag { get; set; }
        public float angularDrag { get; set; }
        public float linearDamping { get; set; }
        public float angularDamping { get; set; }
        public bool isKinematic { get; set; }
        public bool simulated { get; set; }
        public bool freezeRotation { get; set; }
        public RigidbodyType2D bodyType { get; set; }
        public RigidbodyConstraints2D constraints { get; set; }
        public RigidbodyInterpolation2D interpolation { get; set; }
        public CollisionDetectionMode2D collisionDetectionMode { get; set; }
        public Vector2 position { get; set; }
        public float rotation { get; set; }
        public PhysicsMaterial2D sharedMaterial { get; set; }
        public bool useAutoMass { get; set; }
        public Vector2 centerOfMass { get; set; }
        public Vector2 worldCenterOfMass { get { throw null; } }
        public float inertia { get; set; }
        public bool useFullKinematicContacts { get; set; }
        public RigidbodySleepMode2D sleepMode { get; set; }
        public int attachedColliderCount { get { throw null; } }

        public struct SlideMovement
        {
            public int maxIterations { get; set; }
            public float surfaceSlideAngle { get; set; }
            public float gravitySlipAngle { get; set; }
            public Vector2 surfaceUp { get; set; }
            public Vector2 surfaceAnchor { get; set; }
            public Vector2 gravity { get; set; }
            public Vector2 startPosition { get; set; }
            public Collider2D selectedCollider { get; set; }
            public LayerMask layerMask { get; set; }
            public bool useLayerMask { get; set; }
            public bool useStartPosition { get; set; }
            public bool useNoMove { get; set; }
            public bool useSimulationMove { get; set; }
            public bool useAttachedTriggers { get; set; }
            public void SetLayerMask(LayerMask mask) { }
            public void SetStartPosition(Vector2 position) { }
        }

        public struct SlideResults
        {
            public Vector2 remainingVelocity { get; set; }
            public Vector2 position { get; set; }
            public int iterationsUsed { get; set; }
            public RaycastHit2D slideHit { get; set; }
            public RaycastHit2D surfaceHit { get; set; }
        }

        public SlideResults Slide(Vector2 velocity, float deltaTime, SlideMovement slideMovement) { throw null; }
        public void SetRotation(float angle) { }
        public void SetRotation(Quaternion rotation) { }
        public Vector2 GetPoint(Vector2 point) { throw null; }
        public Vector2 GetRelativePoint(Vector2 relativePoint) { throw null; }
        public Vector2 GetVector(Vector2 vector) { throw null; }
        public Vector2 GetRelativeVector(Vector2 relativeVector) { throw null; }
        public Vector2 GetPointVelocity(Vector2 point) { throw null; }
        public int Cast(Vector2 direction, RaycastHit2D[] results) { throw null; }
        public int Cast(Vector2 direction, RaycastHit2D[] results, float distance) { throw null; }
        public int Cast(Vector2 direction, ContactFilter2D contactFilter, RaycastHit2D[] results, float distance = Mathf.Infinity) { throw null; }
        public int Cast(Vector2 direction, ContactFilter2D contactFilter, List<RaycastHit2D> results, float distance = Mathf.Infinity) { throw null; }
        public int GetContacts(ContactPoint2D[] contacts) { throw null; }
        public int GetContacts(List<ContactPoint2D> contacts) { throw null; }
        public int GetContacts(ContactFilter2D contactFilter, ContactPoint2D[] contacts) { throw null; }
        public int GetContacts(Collider2D[] colliders) { throw null; }
        public int GetAttachedColliders(Collider2D[] results) { throw null; }
        public int GetAttachedColliders(List<Collider2D> results) { throw null; }
        public int OverlapCollider(ContactFilter2D contactFilter, Collider2D[] results) { throw null; }
        public int OverlapCollider(ContactFilter2D contactFilter, List<Collider2D> results) { throw null; }
        public bool IsTouching(ContactFilter2D contactFilter) { throw null; }
        public bool IsTouching(Collider2D collider, ContactFilter2D contactFilter) { throw null; }
        public bool IsAwake() { throw null; }

        public void AddForce(Vector2 force) { }
        public void AddForce(Vector2 force, ForceMode2D mode) { }
        public void AddRelativeForce(Vector2 relativeForce) { }
        public void AddRelativeForce(Vector2 relativeForce, ForceMode2D mode) { }
        public void AddForceAtPosition(Vector2 force, Vector2 position) { }
        public void AddForceAtPosition(Vector2 force, Vector2 position, ForceMode2D mode) { }
        public void AddTorque(float torque) { }
        public void AddTorque(float torque, ForceMode2D mode) { }
        public void MovePosition(Vector2 position) { }
        public void MoveRotation(float angle) { }
        public void MoveRotation(Quaternion rotation) { }
        public void Sleep() { }
        public void WakeUp() { }
        public bool IsSleeping() { throw null; }
        public bool IsTouching(Collider2D collider) { throw null; }
        public bool IsTouchingLayers() { throw null; }
        public bool IsTouchingLayers(int layerMask) { throw null; }
    }

    public class PhysicMaterial : Object
    {
        public float bounciness { get; set; }
        public float dynamicFriction { get; set; }
        public float staticFriction { get; set; }
    }

    public class Collider : Component
    {
        public bool enabled { get; set; }
        public bool isTrigger { get; set; }
        public Bounds bounds { get { throw null; } }
        public Rigidbody attachedRigidbody { get { throw null; } }
        public PhysicMaterial material { get; set; }
        public PhysicMaterial sharedMaterial { get; set; }
        public Vector3 ClosestPoint(Vector3 position) { throw null; }
        public Vector3 ClosestPointOnBounds(Vector3 position) { throw null; }
        public bool Raycast(Ray ray, out RaycastHit hitInfo, float maxDistance) { throw null; }
    }

    public class BoxCollider : Collider
    {
        public Vector3 center { get; set; }
        public Vector3 size { get; set; }
    }

    public class SphereCollider : Collider
    {
        public Vector3 center { get; set; }
        public float radius { get; set; }
    }

    public class CapsuleCollider : Collider
    {
        public Vector3 center { get; set; }
        public float radius { get; set; }
        public float height { get; set; }
        public int direction { get; set; }
    }

    public class MeshCollider : Collider
    {
        public bool convex { get; set; }
        public Mesh sharedMesh { get; set; }
    }

    public class CharacterController : Collider
    {
        public CollisionFlags Move(Vector3 motion) { throw null; }
        public bool SimpleMove(Vector3 speed) { throw null; }
        public bool isGrounded { get { throw null; } }
        public Vector3 velocity { get { throw null; } }
        public CollisionFlags collisionFlags { get { throw null; } }
        public float height { get; set; }
        public float radius { get; set; }
        public Vector3 center { get; set; }
        public float slopeLimit { get; set; }
        public float stepOffset { get; set; }
        public float skinWidth { get; set; }
    }

    public struct JointLimits
    {
        public float min { get; set; }
        public float max { get; set; }
        public float bounciness { get; set; }
    }

    public struct JointMotor
    {
        public float targetVelocity { get; set; }
        public float force { get; set; }
        public bool freeSpin { get; set; }
    }

    public struct JointSpring
    {
        public float spring;
        public float damper;
        public float targetPosition;
    }

    public class Joint : Component
    {
        public Rigidbody connectedBody { get; set; }
        public Vector3 axis { get; set; }
        public Vector3 anchor { get; set; }
        public Vector3 connectedAnchor { get; set; }
        public bool autoConfigureConnectedAnchor { get; set; }
        public float breakForce { get; set; }
        public float breakTorque { get; set; }
        public bool enableCollision { get; set; }
        public bool enablePreprocessing { get; set; }
        public float massScale { get; set; }
        public float connectedMassScale { get; set; }
        public Vector3 currentForce { get { throw null; } }
        public Vector3 currentTorque { get { throw null; } }
    }

    public class FixedJoint : Joint { }

    public class HingeJoint : Joint
    {
        public JointMotor motor { get; set; }
        public JointLimits limits { get; set; }
        public JointSpring spring { get; set; }
        public bool useMotor { get; set; }
        public bool useLimits { get; set; }
        public bool useSpring { get; set; }
        public float velocity { get { throw null; } }
        public float angle { get { throw null; } }
    }

    public class SpringJoint : Joint
    {
        public float spring { get; set; }
        public float damper { get; set; }
        public float minDistance { get; set; }
        public float maxDistance { get; set; }
        public float tolerance { get; set; }
    }

    public class CharacterJoint : Joint
    {
        public Vector3 swingAxis { get; set; }
    }

    public class Collider2D : Behaviour
    {
        public bool isTrigger { get; set; }
        public float density { get; set; }
        public PhysicsMaterial2D sharedMaterial { get; set; }
        public bool usedByEffector { get; set; }
        public bool usedByComposite { get; set; }
        public float friction { get { throw null; } }
        public float bounciness { get { throw null; } }
        public int shapeCount { get { throw null; } }
        public LayerMask includeLayers { get; set; }
        public LayerMask excludeLayers { get; set; }
        public int Cast(Vector2 direction, RaycastHit2D[] results, float distance = Mathf.Infinity, bool ignoreSiblingColliders = true) { throw null; }
        public int Cast(Vector2 direction, ContactFilter2D contactFilter, RaycastHit2D[] results, float distance = Mathf.Infinity, bool ignoreSiblingColliders = true) { throw null; }
        public int Cast(Vector2 direction, ContactFilter2D contactFilter, List<RaycastHit2D> results, float distance = Mathf.Infinity, bool ignoreSiblingColliders = true) { throw null; }
        public int Raycast(Vector2 direction, RaycastHit2D[] results, float distance = Mathf.Infinity) { throw null; }
        public int Raycast(Vector2 direction, ContactFilter2D contactFilter, RaycastHit2D[] results, float distance = Mathf.Infinity) { throw null; }
        public int OverlapCollider(ContactFilter2D contactFilter, Collider2D[] results) { throw null; }
        public int OverlapCollider(ContactFilter2D contactFilter, List<Collider2D> results) { throw null; }
        public int GetContacts(ContactPoint2D[] contacts) { throw null; }
        public int GetContacts(ContactFilter2D contactFilter, ContactPoint2D[] contacts) { throw null; }
        public int GetContacts(List<ContactPoint2D> contacts) { throw null; }
        public bool IsTouching(ContactFilter2D contactFilter) { throw null; }
        public bool IsTouching(Collider2D collider, ContactFilter2D contactFilter) { throw null; }
        public ColliderDistance2D Distance(Collider2D collider) { throw null; }
        public int GetShapes(PhysicsShapeGroup2D physicsShapeGroup) { throw null; }
        public Bounds bounds { get { throw null; } }
        public Rigidbody2D attachedRigidbody { get { throw null; } }
        public Vector2 offset { get; set; }
        public bool OverlapPoint(Vector2 point) { throw null; }
        public bool IsTouching(Collider2D collider) { throw null; }
        public bool IsTouchingLayers() { throw null; }
        public bool IsTouchingLayers(int layerMask) { throw null; }
        public Vector2 ClosestPoint(Vector2 position) { throw null; }
    }

    public sealed class BoxCollider2D : Collider2D
    {
        public Vector2 size { get; set; }
        public float edgeRadius { get; set; }
    }

    public sealed class CircleCollider2D : Collider2D
    {
        public float radius { get; set; }
    }

    public sealed class CapsuleCollider2D : Collider2D
    {
        public Vector2 size { get; set; }
        public CapsuleDirection2D direction { get; set; }
    }

    public sealed class PolygonCollider2D : Collider2D
    {
        public Vector2[] points { get; set; }
        public int pathCount { get; set; }
        public Vector2[] GetPath(int index) { throw null; }
        public void SetPath(int index, Vector2[] points) { }
        public void SetPath(int index, List<Vector2> points) { }
    }

    public class ControllerColliderHit
    {
        public CharacterController controller { get { throw null; } }
        public Collider collider { get { throw null; } }
        public Rigidbody rigidbody { get { throw null; } }
        public GameObject gameObject { get { throw null; } }
        public Transform transform { get { throw null; } }
        public Vector3 point { get { throw null; } }
        public Vector3 normal { get { throw null; } }
        public Vector3 moveDirection { get { throw null; } }
        public float moveLength { get { throw null; } }
    }

    public struct ContactPoint
    {
        public Vector3 point { get { throw null; } }
        public Vector3 normal { get { throw null; } }
        public Collider thisCollider { get { throw null; } }
        public Collider otherCollider { get { throw null; } }
        public float separation { get { throw null; } }
    }

    public class Collision
    {
        public GameObject gameObject { get { throw null; } }
        public Collider collider { get { throw null; } }
        public Transform transform { get { throw null; } }
        public Rigidbody rigidbody { get { throw null; } }
        public ContactPoint[] contacts { get { throw null; } }
        public int contactCount { get { throw null; } }
        public Vector3 relativeVelocity { get { throw null; } }
        public Vector3 impulse { get { throw null; } }
        public ContactPoint GetContact(int index) { throw null; }
        public int GetContacts(ContactPoint[] contacts) { throw null; }
    }

    public struct ContactPoint2D
    {
        public Vector2 point { get { throw null; } }
        public Vector2 normal { get { throw null; } }
        public Collider2D collider { get { throw null; } }
        public Collider2D otherCollider { get { throw null; } }
        public Vector2 relativeVelocity { get { throw null; } }
        public float separation { get { throw null; } }
    }

    public class Collision2D
    {
        public GameObject gameObject { get { throw null; } }
        public Collider2D collider { get { throw null; } }
        public Collider2D otherCollider { get { throw null; } }
        public Rigidbody2D rigidbody { get { throw null; } }
        public Rigidbody2D otherRigidbody { get { throw null; } }
        public Transform transform { get { throw null; } }
        public ContactPoint2D[] contacts { get { throw null; } }
        public int contactCount { get { throw null; } }
        public Vector2 relativeVelocity { get { throw null; } }
        public ContactPoint2D GetContact(int index) { throw null; }
        public int GetContacts(ContactPoint2D[] contacts) { throw null; }
    }

    public struct RaycastHit
    {
        public Vector3 point { get { throw null; } set { } }
        public Vector3 normal { get { throw null; } set { } }
        public float distance { get { throw null; } set { } }
        public Collider collider { get { throw null; } }
        public Transform transform { get { throw null; } }
        public Rigidbody rigidbody { get { throw null; } }
        public int triangleIndex { get { throw null; } }
        public Vector2 textureCoord { get { throw null; } }
    }

    public struct RaycastHit2D
    {
        public Vector2 point { get { throw null; } set { } }
        public Vector2 normal { get { throw null; } set { } }
        public Vector2 centroid { get { throw null; } set { } }
        public float distance { get { throw null; } set { } }
        public float fraction { get { throw null; } set { } }
        public Collider2D collider { get { throw null; } }
        public Transform transform { get { throw null; } }
        public Rigidbody2D rigidbody { get { throw null; } }
        public static implicit operator bool(RaycastHit2D hit) { throw null; }
    }

    public class Physics
    {
        public const int IgnoreRaycastLayer = 4;
        public const int DefaultRaycastLayers = -5;
        public const int AllLayers = -1;
        public static Vector3 gravity { get; set; }
        public static bool queriesHitTriggers { get; set; }

        public static bool Raycast(Vector3 origin, Vector3 direction, float maxDistance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static bool Raycast(Vector3 origin, Vector3 direction, out RaycastHit hitInfo, float maxDistance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static bool Raycast(Ray ray, float maxDistance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static bool Raycast(Ray ray, out RaycastHit hitInfo, float maxDistance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static RaycastHit[] RaycastAll(Vector3 origin, Vector3 direction, float maxDistance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static RaycastHit[] RaycastAll(Ray ray, float maxDistance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static int RaycastNonAlloc(Ray ray, RaycastHit[] results, float maxDistance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static int RaycastNonAlloc(Vector3 origin, Vector3 direction, RaycastHit[] results, float maxDistance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static bool Linecast(Vector3 start, Vector3 end, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static bool Linecast(Vector3 start, Vector3 end, out RaycastHit hitInfo, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static bool SphereCast(Vector3 origin, float radius, Vector3 direction, out RaycastHit hitInfo, float maxDistance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static bool SphereCast(Ray ray, float radius, float maxDistance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static bool SphereCast(Ray ray, float radius, out RaycastHit hitInfo, float maxDistance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static RaycastHit[] SphereCastAll(Vector3 origin, float radius, Vector3 direction, float maxDistance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static bool BoxCast(Vector3 center, Vector3 halfExtents, Vector3 direction) { throw null; }
        public static bool BoxCast(Vector3 center, Vector3 halfExtents, Vector3 direction, out RaycastHit hitInfo) { throw null; }
        public static bool BoxCast(Vector3 center, Vector3 halfExtents, Vector3 direction, Quaternion orientation, float maxDistance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static bool BoxCast(Vector3 center, Vector3 halfExtents, Vector3 direction, out RaycastHit hitInfo, Quaternion orientation, float maxDistance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static bool CapsuleCast(Vector3 point1, Vector3 point2, float radius, Vector3 direction, out RaycastHit hitInfo, float maxDistance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static Collider[] OverlapSphere(Vector3 position, float radius, int layerMask = AllLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static int OverlapSphereNonAlloc(Vector3 position, float radius, Collider[] results, int layerMask = AllLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static Collider[] OverlapBox(Vector3 center, Vector3 halfExtents) { throw null; }
        public static Collider[] OverlapBox(Vector3 center, Vector3 halfExtents, Quaternion orientation, int layerMask = AllLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static Collider[] OverlapCapsule(Vector3 point0, Vector3 point1, float radius, int layerMask = AllLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static bool CheckSphere(Vector3 position, float radius, int layerMask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static bool CheckBox(Vector3 center, Vector3 halfExtents) { throw null; }
        public static bool CheckBox(Vector3 center, Vector3 halfExtents, Quaternion orientation, int layermask = DefaultRaycastLayers, QueryTriggerInteraction queryTriggerInteraction = QueryTriggerInteraction.UseGlobal) { throw null; }
        public static void IgnoreCollision(Collider collider1, Collider collider2, bool ignore = true) { }
        public static void IgnoreLayerCollision(int layer1, int layer2, bool ignore = true) { }
        public static bool GetIgnoreLayerCollision(int layer1, int layer2) { throw null; }
    }

    public class Physics2D
    {
        public const int IgnoreRaycastLayer = 4;
        public const int DefaultRaycastLayers = -5;
        public const int AllLayers = -1;
        public static Vector2 gravity { get; set; }
        public static bool queriesHitTriggers { get; set; }

        public static RaycastHit2D Raycast(Vector2 origin, Vector2 direction, float distance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static RaycastHit2D[] RaycastAll(Vector2 origin, Vector2 direction, float distance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static RaycastHit2D Linecast(Vector2 start, Vector2 end, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static RaycastHit2D CircleCast(Vector2 origin, float radius, Vector2 direction, float distance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static RaycastHit2D BoxCast(Vector2 origin, Vector2 size, float angle, Vector2 direction, float distance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static Collider2D OverlapCircle(Vector2 point, float radius, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static Collider2D[] OverlapCircleAll(Vector2 point, float radius, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static Collider2D OverlapBox(Vector2 point, Vector2 size, float angle, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static Collider2D[] OverlapBoxAll(Vector2 point, Vector2 size, float angle, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static Collider2D OverlapPoint(Vector2 point, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static void IgnoreCollision(Collider2D collider1, Collider2D collider2, bool ignore = true) { }
        public static void IgnoreLayerCollision(int layer1, int layer2, bool ignore = true) { }
        public static bool GetIgnoreCollision(Collider2D collider1, Collider2D collider2) { throw null; }
        public static bool GetIgnoreLayerCollision(int layer1, int layer2) { throw null; }
        public static bool autoSyncTransforms { get; set; }
        public static bool callbacksOnDisable { get; set; }
        public static float defaultContactOffset { get; set; }
        public static void SyncTransforms() { }
        public static bool Simulate(float step) { throw null; }
        public static int Raycast(Vector2 origin, Vector2 direction, ContactFilter2D contactFilter, RaycastHit2D[] results, float distance = Mathf.Infinity) { throw null; }
        public static int Raycast(Vector2 origin, Vector2 direction, ContactFilter2D contactFilter, List<RaycastHit2D> results, float distance = Mathf.Infinity) { throw null; }
        public static int RaycastNonAlloc(Vector2 origin, Vector2 direction, RaycastHit2D[] results, float distance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static RaycastHit2D[] LinecastAll(Vector2 start, Vector2 end, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static RaycastHit2D[] CircleCastAll(Vector2 origin, float radius, Vector2 direction, float distance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static RaycastHit2D[] BoxCastAll(Vector2 origin, Vector2 size, float angle, Vector2 direction, float distance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static RaycastHit2D CapsuleCast(Vector2 origin, Vector2 size, CapsuleDirection2D capsuleDirection, float angle, Vector2 direction, float distance = Mathf.Infinity, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static int OverlapCircle(Vector2 point, float radius, ContactFilter2D contactFilter, Collider2D[] results) { throw null; }
        public static int OverlapCircle(Vector2 point, float radius, ContactFilter2D contactFilter, List<Collider2D> results) { throw null; }
        public static int OverlapCircleNonAlloc(Vector2 point, float radius, Collider2D[] results, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static int OverlapBox(Vector2 point, Vector2 size, float angle, ContactFilter2D contactFilter, Collider2D[] results) { throw null; }
        public static Collider2D OverlapArea(Vector2 pointA, Vector2 pointB, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static Collider2D[] OverlapAreaAll(Vector2 pointA, Vector2 pointB, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static Collider2D OverlapCapsule(Vector2 point, Vector2 size, CapsuleDirection2D direction, float angle, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static Collider2D[] OverlapPointAll(Vector2 point, int layerMask = DefaultRaycastLayers, float minDepth = Mathf.NegativeInfinity, float maxDepth = Mathf.Infinity) { throw null; }
        public static int OverlapCollider(Collider2D collider, ContactFilter2D contactFilter, Collider2D[] results) { throw null; }
        public static int OverlapCollider(Collider2D collider, ContactFilter2D contactFilter, List<Collider2D> results) { throw null; }
        public static ColliderDistance2D Distance(Collider2D colliderA, Collider2D colliderB) { throw null; }
        public static bool IsTouching(Collider2D collider1, Collider2D collider2) { throw null; }
        public static bool IsTouchingLayers(Collider2D collider, int layerMask = AllLayers) { throw null; }
    }

    public enum CapsuleDirection2D { Vertical = 0, Horizontal = 1 }
}
