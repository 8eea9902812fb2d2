import Chart from '../../components/Chart';

export default function LazyPage() {
  return (
    <main>
      <h1>Lazy</h1>
      <Chart />
    </main>
  );
}
