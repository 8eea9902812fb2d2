import Link from 'next/link';
import Counter from '../components/Counter';

export default function Home() {
  return (
    <main>
      <h1>Home</h1>
      <Counter />
      <ul>
        <li><Link href="/about" prefetch={false}>About</Link></li>
        <li><Link href="/items/1" prefetch={false}>Item 1</Link></li>
        <li><Link href="/lazy" prefetch={false}>Lazy</Link></li>
      </ul>
    </main>
  );
}
