import { Card } from '@repo/ui/card';
import { Counter } from '@repo/ui/counter';
import Link from 'next/link';

export default function Home() {
  return (
    <main>
      <Card title="Home">
        <Counter label="home" />
      </Card>
      <Link href="/about">About</Link>
    </main>
  );
}
