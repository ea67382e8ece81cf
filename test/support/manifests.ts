// Small manifests several CLI tests convert.

/** One Ingress of class nginx: shop/web serving shop.example.com/ from Service web:80. */
export const SHOP_INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`;
