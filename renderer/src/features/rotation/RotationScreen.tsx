export function RotationScreen() {
  return <div className="p-8">Rotation</div>;
}
