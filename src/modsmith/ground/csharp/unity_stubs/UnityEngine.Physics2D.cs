// Reference-only stand-in for the public UnityEngine scripting API (see UnityEngine.cs): 2D joints,
// contact filters, physics materials and custom colliders, written from Unity's Scripting Reference.

using System.Collections.Generic;

namespace UnityEngine
{
    public enum RigidbodySleepMode2D { NeverSleep = 0, StartAwake = 1, StartAsleep = 2 }
    public enum JointLimitState2D { Inactive = 0, LowerLimit = 1, UpperLimit = 2, EqualLimits = 3 }
    public enum PhysicsShapeType2D { Circle = 0, Capsule = 1, Polygon = 2, Edges = 3 }

    public sealed class PhysicsMaterial2D : Object
    {
        public PhysicsMaterial2D() { }
        public PhysicsMaterial2D(string name) { }
        public float friction { get; set; }
        public float bounciness { get; set; }
    }

    public struct ContactFilter2D
    {
        public bool useTriggers;
        public bool useLayerMask;
        public bool useDepth;
        public bool useOutsideDepth;
        public bool useNormalAngle;
        public bool useOutsideNormalAngle;
        public LayerMask layerMask;
        public float minDepth;
        public float maxDepth;
        public float minNormalAngle;
        public float maxNormalAngle;
        public bool isFiltering { get { throw null; } }
        public ContactFilter2D NoFilter() { throw null; }
        public void SetLayerMask(LayerMask layerMask) { }
        public void ClearLayerMask() { }
        public void SetDepth(float minDepth, float maxDepth) { }
        public void ClearDepth() { }
        public void SetNormalAngle(float minNormalAngle, float maxNormalAngle) { }
        public void ClearNormalAngle() { }
        public bool IsFilteringTrigger(Collider2D collider) { throw null; }
        public bool IsFilteringLayerMask(GameObject obj) { throw null; }
    }

    public struct ColliderDistance2D
    {
        public Vector2 pointA { get; set; }
        public Vector2 pointB { get; set; }
        public Vector2 normal { get { throw null; } }
        public float distance { get; set; }
        public bool isOverlapped { get { throw null; } }
        public bool isValid { get; set; }
    }

    public struct JointMotor2D
    {
        public float motorSpeed { get; set; }
        public float maxMotorTorque { get; set; }
    }

    public struct JointAngleLimits2D
    {
        public float min { get; set; }
        public float max { get; set; }
    }

    public struct JointTranslationLimits2D
    {
        public float min { get; set; }
        public float max { get; set; }
    }

    public struct JointSuspension2D
    {
        public float dampingRatio { get; set; }
        public float frequency { get; set; }
        public float angle { get; set; }
    }

    public class Joint2D : Behaviour
    {
        public Rigidbody2D attachedRigidbody { get { throw null; } }
        public Rigidbody2D connectedBody { get; set; }
        public bool enableCollision { get; set; }
        public float breakForce { get; set; }
        public float breakTorque { get; set; }
        public Vector2 reactionForce { get { throw null; } }
        public float reactionTorque { get { throw null; } }
        public Vector2 GetReactionForce(float timeStep) { throw null; }
        public float GetReactionTorque(float timeStep) { throw null; }
    }

    public class AnchoredJoint2D : Joint2D
    {
        public Vector2 anchor { get; set; }
        public Vector2 connectedAnchor { get; set; }
        public bool autoConfigureConnectedAnchor { get; set; }
    }

    public sealed class HingeJoint2D : AnchoredJoint2D
    {
        public bool useMotor { get; set; }
        public bool useLimits { get; set; }
        public JointMotor2D motor { get; set; }
        public JointAngleLimits2D limits { get; set; }
        public JointLimitState2D limitState { get { throw null; } }
        public float referenceAngle { get { throw null; } }
        public float jointAngle { get { throw null; } }
        public float jointSpeed { get { throw null; } }
        public float GetMotorTorque(float timeStep) { throw null; }
    }

    public sealed class SpringJoint2D : AnchoredJoint2D
    {
        public bool autoConfigureDistance { get; set; }
        public float distance { get; set; }
        public float dampingRatio { get; set; }
        public float frequency { get; set; }
    }

    public sealed class DistanceJoint2D : AnchoredJoint2D
    {
        public bool autoConfigureDistance { get; set; }
        public float distance { get; set; }
        public bool maxDistanceOnly { get; set; }
    }

    public sealed class FixedJoint2D : AnchoredJoint2D
    {
        public float dampingRatio { get; set; }
        public float frequency { get; set; }
        public float referenceAngle { get { throw null; } }
    }

    public sealed class SliderJoint2D : AnchoredJoint2D
    {
        public bool autoConfigureAngle { get; set; }
        public float angle { get; set; }
        public bool useMotor { get; set; }
        public bool useLimits { get; set; }
        public JointMotor2D motor { get; set; }
        public JointTranslationLimits2D limits { get; set; }
        public float jointTranslation { get { throw null; } }
        public float jointSpeed { get { throw null; } }
    }

    public sealed class WheelJoint2D : AnchoredJoint2D
    {
        public JointSuspension2D suspension { get; set; }
        public bool useMotor { get; set; }
        public JointMotor2D motor { get; set; }
        public float jointTranslation { get { throw null; } }
        public float jointSpeed { get { throw null; } }
    }

    public sealed class TargetJoint2D : Joint2D
    {
        public Vector2 anchor { get; set; }
        public Vector2 target { get; set; }
        public bool autoConfigureTarget { get; set; }
        public float maxForce { get; set; }
        public float dampingRatio { get; set; }
        public float frequency { get; set; }
    }

    public sealed class RelativeJoint2D : Joint2D
    {
        public float maxForce { get; set; }
        public float maxTorque { get; set; }
        public float correctionScale { get; set; }
        public bool autoConfigureOffset { get; set; }
        public Vector2 linearOffset { get; set; }
        public float angularOffset { get; set; }
        public Vector2 target { get { throw null; } }
    }

    public sealed class FrictionJoint2D : AnchoredJoint2D
    {
        public float maxForce { get; set; }
        public float maxTorque { get; set; }
    }

    public sealed class EdgeCollider2D : Collider2D
    {
        public float edgeRadius { get; set; }
        public int edgeCount { get { throw null; } }
        public int pointCount { get { throw null; } }
        public Vector2[] points { get; set; }
        public bool SetPoints(List<Vector2> points) { throw null; }
        public int GetPoints(List<Vector2> points) { throw null; }
        public void Reset() { }
    }

    public sealed class CompositeCollider2D : Collider2D
    {
        public int pathCount { get { throw null; } }
        public int pointCount { get { throw null; } }
        public void GenerateGeometry() { }
        public int GetPath(int index, Vector2[] points) { throw null; }
    }

    public struct PhysicsShape2D
    {
        public PhysicsShapeType2D shapeType { get; set; }
        public float radius { get; set; }
        public int vertexStartIndex { get; set; }
        public int vertexCount { get; set; }
        public bool useAdjacentStart { get; set; }
        public bool useAdjacentEnd { get; set; }
        public Vector2 adjacentStart { get; set; }
        public Vector2 adjacentEnd { get; set; }
    }

    public class PhysicsShapeGroup2D
    {
        public PhysicsShapeGroup2D(int shapeCapacity = 1, int vertexCapacity = 8) { }
        public int shapeCount { get { throw null; } }
        public int vertexCount { get { throw null; } }
        public Matrix4x4 localToWorldMatrix { get; set; }
        public void Clear() { }
        public void Add(PhysicsShapeGroup2D physicsShapeGroup) { }
        public int AddCircle(Vector2 center, float radius) { throw null; }
        public int AddCapsule(Vector2 vertex0, Vector2 vertex1, float radius) { throw null; }
        public int AddBox(Vector2 center, Vector2 size, float angle = 0f, float edgeRadius = 0f) { throw null; }
        public int AddPolygon(List<Vector2> vertices) { throw null; }
        public int AddEdges(List<Vector2> vertices, float edgeRadius = 0f) { throw null; }
        public int AddEdges(List<Vector2> vertices, bool useAdjacentStart, bool useAdjacentEnd, Vector2 adjacentStart, Vector2 adjacentEnd, float edgeRadius = 0f) { throw null; }
        public PhysicsShape2D GetShape(int shapeIndex) { throw null; }
        public void GetShapeData(List<PhysicsShape2D> shapes, List<Vector2> vertices) { }
        public void GetShapeVertices(int shapeIndex, List<Vector2> vertices) { }
        public Vector2 GetShapeVertex(int shapeIndex, int vertexIndex) { throw null; }
        public void SetShapeVertex(int shapeIndex, int vertexIndex, Vector2 vertex) { }
        public void SetShapeRadius(int shapeIndex, float radius) { }
        public void SetShapeAdjacentVertices(int shapeIndex, bool useAdjacentStart, bool useAdjacentEnd, Vector2 adjacentStart, Vector2 adjacentEnd) { }
        public void DeleteShape(int shapeIndex) { }
    }

    public sealed class CustomCollider2D : Collider2D
    {
        public int customShapeCount { get { throw null; } }
        public int customVertexCount { get { throw null; } }
        public int GetCustomShapes(PhysicsShapeGroup2D physicsShapeGroup) { throw null; }
        public int GetCustomShapes(PhysicsShapeGroup2D physicsShapeGroup, int shapeIndex, int shapeCount = 1) { throw null; }
        public void SetCustomShapes(PhysicsShapeGroup2D physicsShapeGroup) { }
        public void SetCustomShape(PhysicsShapeGroup2D physicsShapeGroup, int srcShapeIndex, int dstShapeIndex) { }
        public void ClearCustomShapes() { }
        public void ClearCustomShapes(int shapeIndex, int shapeCount) { }
    }

    public class Effector2D : Behaviour
    {
        public bool useColliderMask { get; set; }
        public int colliderMask { get; set; }
    }

    public sealed class PlatformEffector2D : Effector2D
    {
        public bool useOneWay { get; set; }
        public float surfaceArc { get; set; }
        public float rotationalOffset { get; set; }
    }

    public sealed class AreaEffector2D : Effector2D
    {
        public float forceAngle { get; set; }
        public float forceMagnitude { get; set; }
    }
}
